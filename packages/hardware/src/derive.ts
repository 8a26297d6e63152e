import type { HardwareConfig } from './config';
import type { NpuParams } from './npu';
import type { CimParams } from './cim';
import type { VectorParams } from './vector';
import type { NocParams } from './noc';
import { dynamicEnergyScale } from './dvfs';
import {
  LINK_ENERGY_J_PER_BIT_MM_32NM, ROUTER_ENERGY_J_PER_BIT_32NM, adcEnergyJ, addEnergyJ, dacEnergyJ, nodeEnergyScale, sramEnergyJPerBit,
} from './tech';

/** Per-config constants, computed once (evaluate caches them per config object). */
export interface Derived {
  npu?: NpuParams;
  cim?: CimParams;
  vector: VectorParams;
  noc: NocParams;
}

/** Adapter: unpacks a validated config into the plain numbers the pure models take. */
export function derive(hw: HardwareConfig): Derived {
  const node = hw.technology.nodeNm;
  const d = hw.dvfs;
  const vNpu = dynamicEnergyScale(d.npu.voltageV, d.nominalVoltageV);
  const vCim = dynamicEnergyScale(d.cim.voltageV, d.nominalVoltageV);
  const vNoc = dynamicEnergyScale(d.noc.voltageV, d.nominalVoltageV);
  const dram = { dramBytesPerS: hw.dram.bandwidthBytesPerS, dramJPerBit: hw.dram.energyJPerBit };
  let npu: NpuParams | undefined;
  if (hw.npu) {
    const n = hw.npu;
    const rfJPerBit = n.rfEnergyJPerBit ?? sramEnergyJPerBit(n.rfBytes, node);
    npu = {
      mapping: n.mapping, mapperObjective: n.mapperObjective,
      rows: n.peRows, cols: n.peCols, rfBytes: n.rfBytes, glbBytes: n.glbBytes,
      distribution: n.distribution, doubleBuffering: n.doubleBuffering,
      frequencyHz: d.npu.frequencyHz, nodeNm: node, vScale: vNpu,
      macEnergyJ: n.macEnergyJ, rfJPerBit, glbJPerBit: n.glbEnergyJPerBit ?? sramEnergyJPerBit(n.glbBytes, node),
      interPeJPerBit: 2 * rfJPerBit,
      ...dram,
    };
  }
  let cim: CimParams | undefined;
  if (hw.cim) {
    const c = hw.cim;
    cim = {
      rows: c.rows, cols: c.cols, cellBits: c.cellBits, differential: c.differential, tiles: c.tiles,
      adcBits: c.adcBits, dacBits: c.dacBits, columnsPerAdc: c.columnsPerAdc,
      gMeanSiemens: (c.gMinSiemens + c.gMaxSiemens) / 2, readVoltageV: c.readVoltageV, readPulseS: c.readPulseS,
      writeEnergyPerCellJ: c.writeEnergyPerCellJ, writeTimePerRowS: c.writeTimePerRowS,
      frequencyHz: d.cim.frequencyHz, vScale: vCim,
      adcJ: c.adcEnergyJ ?? adcEnergyJ(c.adcBits, node),
      dacJ: dacEnergyJ(c.dacBits, node),
      // Accumulator wide enough for the ADC output shifted by input and weight slices.
      shiftAddJ: addEnergyJ(c.adcBits + 16, node),
      bufferBytes: c.bufferBytes, bufferJPerBit: sramEnergyJPerBit(c.bufferBytes, node),
      ...dram,
    };
  }
  // The vector unit sits beside the NPU (its GLB) or, on a CIM-only chip, beside the CIM buffer.
  const vecBuffer = hw.npu ? hw.npu.glbBytes : hw.cim!.bufferBytes;
  const vector: VectorParams = {
    lanes: hw.vector.lanes,
    frequencyHz: hw.npu ? d.npu.frequencyHz : d.cim.frequencyHz,
    nodeNm: node, vScale: hw.npu ? vNpu : vCim,
    bufferBytes: vecBuffer, bufferJPerBit: npu ? npu.glbJPerBit : sramEnergyJPerBit(vecBuffer, node),
    ...dram,
  };
  const s = (nodeEnergyScale(node) / nodeEnergyScale(32)) * vNoc;
  const noc: NocParams = {
    cfg: hw.noc, frequencyHz: d.noc.frequencyHz,
    routerJPerBit: ROUTER_ENERGY_J_PER_BIT_32NM * s, linkJPerBitMm: LINK_ENERGY_J_PER_BIT_MM_32NM * s,
  };
  return { npu, cim, vector, noc };
}
