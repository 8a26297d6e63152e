import type { NocConfig, Topology } from './config';

/** Hops between routers a and b (coordinates on the k×k grid; a ring numbers them row-major). */
export function hopsBetween(topology: Topology, k: number, a: readonly [number, number], b: readonly [number, number]): number {
  const dx = Math.abs(a[0] - b[0]);
  const dy = Math.abs(a[1] - b[1]);
  if (topology === 'mesh') return dx + dy;
  if (topology === 'torus') return Math.min(dx, k - dx) + Math.min(dy, k - dy);
  const n = k * k;
  const d = Math.abs(a[1] * k + a[0] - (b[1] * k + b[0]));
  return Math.min(d, n - d);
}

/**
 * Average hops under uniform random traffic (all source/destination pairs, self included):
 * mesh 2(k² − 1)/(3k) (REFERENCES §4, Dally & Towles); torus 2·(k/4) for even k, 2·(k² − 1)/(4k)
 * for odd k; ring of n = k² nodes n/4 (even n) or (n² − 1)/(4n) (odd n).
 */
export function averageHopsUniform(topology: Topology, k: number): number {
  if (topology === 'mesh') return (2 * (k * k - 1)) / (3 * k);
  const ringAvg = (n: number) => (n % 2 === 0 ? n / 4 : (n * n - 1) / (4 * n));
  if (topology === 'torus') return 2 * ringAvg(k);
  return ringAvg(k * k);
}

/** Router ports: 4 neighbours + local for mesh/torus, 2 + local for a ring. */
export function routerPorts(topology: Topology): number {
  return topology === 'ring' ? 3 : 5;
}

/**
 * Fraction of link bandwidth credit-based flow control sustains: a VC needs a buffer covering the
 * credit round trip (router pipeline + link forward + credit back + 1, Dally & Towles §16.3), so
 * throughput = min(1, VCs·depth / RTT).
 */
export function creditEfficiency(n: NocConfig): number {
  const rtt = n.routerStages + 3;
  return Math.min(1, (n.virtualChannels * n.bufferDepthFlits) / rtt);
}

/** Saturation injection rate of uniform traffic, flits/node/cycle: 4/k (mesh), 8/k (torus), 8/(k²) ring (bisection bound). */
export function saturationInjection(topology: Topology, k: number): number {
  if (topology === 'mesh') return 4 / k;
  if (topology === 'torus') return 8 / k;
  return 8 / (k * k);
}

export interface NocParams {
  cfg: NocConfig;
  frequencyHz: number;
  /** Router energy per bit per hop and link energy per bit per mm at the node and voltage, J. */
  routerJPerBit: number;
  linkJPerBitMm: number;
}

export interface NocTransfer {
  cycles: number;
  latencyS: number;
  energyJ: number;
  flits: number;
}

/**
 * A stream of `bytes` over `hops` hops (REFERENCES §4): packets of up to packetFlits flits, one
 * head flit each (single-flit packets carry the header inline); link cycles per flit ⌈flit/width⌉.
 * Latency = (H+1)·t_router + H·t_link + serialisation (flits × cycles per flit / credit
 * efficiency) + contention H·ρ/(2(1 − ρ))·packet cycles (M/D/1), with the channel load ρ capped
 * just below saturation. Energy = flits × flit bits × ((H+1)·E_router + H·length·E_link).
 */
export function nocTransfer(bytes: number, hops: number, p: NocParams, load: number): NocTransfer {
  if (bytes <= 0) return { cycles: 0, latencyS: 0, energyJ: 0, flits: 0 };
  const n = p.cfg;
  const payloadFlits = Math.ceil((bytes * 8) / n.flitBits);
  const payloadPerPacket = n.packetFlits > 1 ? n.packetFlits - 1 : 1;
  const packets = Math.ceil(payloadFlits / payloadPerPacket);
  // Packets carry up to packetFlits − 1 payload flits behind their head; the last one may be short.
  const flits = n.packetFlits > 1 ? payloadFlits + packets : payloadFlits;
  const cyclesPerFlit = Math.ceil(n.flitBits / n.linkWidthBits);
  const rho = Math.min(Math.max(load, 0), 0.95);
  const packetCycles = n.packetFlits * cyclesPerFlit;
  const head = (hops + 1) * n.routerStages + hops * cyclesPerFlit;
  const serial = (flits * cyclesPerFlit) / creditEfficiency(n);
  const contention = hops * (rho / (2 * (1 - rho))) * packetCycles;
  const cycles = head + serial + contention;
  const energyJ = flits * n.flitBits * ((hops + 1) * p.routerJPerBit + hops * n.linkLengthMm * p.linkJPerBitMm);
  return { cycles, latencyS: cycles / p.frequencyHz, energyJ, flits };
}

/**
 * Router area, mm²: input buffers ports·VCs·depth·flitBits register bits (≈4 µm² per bit at
 * 45 nm) plus a matrix crossbar (ports·width·pitch)², pitch ≈ 0.2 µm·node/32 (Orion 2.0-style).
 */
export function routerAreaMm2(n: NocConfig, nodeNm: number): number {
  const ports = routerPorts(n.topology);
  const bufferBits = ports * n.virtualChannels * n.bufferDepthFlits * n.flitBits;
  const bufferMm2 = bufferBits * 4e-6 * (nodeNm / 45) ** 2;
  const pitchMm = 0.2e-3 * (nodeNm / 32);
  const xbarMm2 = (ports * n.linkWidthBits * pitchMm) ** 2;
  return bufferMm2 + xbarMm2;
}

/** Whole-NoC area: k² routers (links ride on upper metal, no extra area). */
export function nocAreaMm2(n: NocConfig, nodeNm: number): number {
  return n.k * n.k * routerAreaMm2(n, nodeNm);
}
