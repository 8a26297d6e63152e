import type { Shape } from './shape';

/** Crossbar geometry knobs needed to map a weight matrix. */
export interface XbarGeometry {
  rows: number;
  cols: number;
  cellBits: number;
  differential: boolean;
}

/** How one layer's weight matrices land on crossbars. */
export interface XbarMapping {
  /** Unrolled weight matrix per group: C·R·S rows × K·⌈b_w/b_cell⌉·(2 if differential) columns. */
  rowsPerGroup: number;
  colsPerGroup: number;
  slices: number;
  /** Crossbars stacked along rows / columns for one group (1 when groups are packed). */
  rowBlocks: number;
  colBlocks: number;
  /** Groups packed block-diagonally into one crossbar (depthwise / grouped convs). */
  groupsPerXbar: number;
  crossbars: number;
  /** Used cells / provided cells. */
  utilisation: number;
}

/**
 * Crossbars needed = ⌈rows/R⌉·⌈N_out·⌈b_w/b_cell⌉·(2 if differential)/C⌉ per weight matrix
 * (REFERENCES §4, ISAAC/NeuroSim). Small group matrices (depthwise, grouped conv) are packed
 * block-diagonally: ⌊R/rows_g⌋·… groups per crossbar, limited by both rows and columns.
 */
export function mapToCrossbars(s: Shape, g: XbarGeometry): XbarMapping {
  const slices = Math.ceil(s.wBits / g.cellBits);
  const rowsPerGroup = s.C * s.R * s.S;
  const colsPerGroup = s.K * slices * (g.differential ? 2 : 1);
  let rowBlocks = Math.ceil(rowsPerGroup / g.rows);
  let colBlocks = Math.ceil(colsPerGroup / g.cols);
  let groupsPerXbar = 1;
  let crossbars: number;
  if (rowBlocks === 1 && colBlocks === 1 && s.G > 1) {
    groupsPerXbar = Math.min(Math.floor(g.rows / rowsPerGroup), Math.floor(g.cols / colsPerGroup), s.G);
    crossbars = Math.ceil(s.G / groupsPerXbar);
  } else {
    crossbars = s.G * rowBlocks * colBlocks;
  }
  if (groupsPerXbar > 1) rowBlocks = colBlocks = 1;
  const utilisation = (s.G * rowsPerGroup * colsPerGroup) / (crossbars * g.rows * g.cols);
  return { rowsPerGroup, colsPerGroup, slices, rowBlocks, colBlocks, groupsPerXbar, crossbars, utilisation };
}

/**
 * ADC bits that keep a column sum exact (ISAAC, Shafiee et al. ISCA 2016):
 * log2(rows) + b_dac + b_cell, minus 1 when either the DAC or the cell is 1 bit.
 */
export function losslessAdcBits(rows: number, dacBits: number, cellBits: number): number {
  return Math.ceil(Math.log2(rows)) + dacBits + cellBits - (dacBits === 1 || cellBits === 1 ? 1 : 0);
}
