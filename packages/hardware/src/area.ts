import type { HardwareConfig } from './config';
import { nocAreaMm2 } from './noc';
import {
  adcAreaMm2, cimCellAreaMm2, dacAreaMm2, macAreaMm2, registerAreaMm2, sramAreaMm2,
} from './tech';

/**
 * Chip area by component, mm² (REFERENCES §4 sources in tech.ts): PEs (MAC + RF), GLB SRAM,
 * vector lanes, crossbars (cells), ADCs (cols/columnsPerAdc per crossbar), DACs (one per row),
 * shift-add (≈60 µm² per ADC at 32 nm, ISAAC S+A) and the CIM buffer, NoC routers.
 * PEs are sized for 8-bit operands (the datapath width of the presets).
 */
export function areaBreakdown(hw: HardwareConfig): Record<string, number> {
  const node = hw.technology.nodeNm;
  const out: Record<string, number> = {};
  if (hw.npu) {
    const n = hw.npu;
    const pes = n.peRows * n.peCols;
    out.pe = pes * (macAreaMm2(8, 8, node) + registerAreaMm2(n.rfBytes, node));
    out.glb = sramAreaMm2(n.glbBytes, node);
  }
  out.vector = hw.vector.lanes * macAreaMm2(8, 8, node);
  if (hw.cim) {
    const c = hw.cim;
    const adcs = c.tiles * Math.ceil(c.cols / c.columnsPerAdc);
    out.crossbar = c.tiles * c.rows * c.cols * cimCellAreaMm2(c.cellTech, node);
    out.adc = adcs * adcAreaMm2(c.adcBits, node);
    out.dac = c.tiles * c.rows * dacAreaMm2(c.dacBits, node);
    out.shiftAdd = adcs * 60e-6 * (node / 32);
    out.cimBuffer = sramAreaMm2(c.bufferBytes, node);
  }
  out.noc = nocAreaMm2(hw.noc, node);
  return out;
}

export function totalAreaMm2(hw: HardwareConfig): number {
  let s = 0;
  for (const v of Object.values(areaBreakdown(hw))) s += v;
  return s;
}

/**
 * Leaking area of each DVFS domain (NoC routers in 'noc'). Non-volatile RRAM cells hold their
 * state unpowered and do not leak; SRAM-CIM cells do.
 */
export function domainAreasMm2(area: Record<string, number>, cellTech?: 'rram' | 'sram'): { npu: number; cim: number; noc: number } {
  const npu = (area.pe ?? 0) + (area.glb ?? 0) + (area.vector ?? 0);
  const cim = (cellTech === 'sram' ? area.crossbar ?? 0 : 0) + (area.adc ?? 0) + (area.dac ?? 0) + (area.shiftAdd ?? 0) + (area.cimBuffer ?? 0);
  return { npu, cim, noc: area.noc ?? 0 };
}
