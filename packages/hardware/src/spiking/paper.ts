/**
 * The published figures the spiking tile is compared with (typed by hand): "Towards
 * Energy-Efficient Spiking Neural Networks: A Robust Hybrid CMOS-Memristive Accelerator",
 * ACM JETC 20(1), 2024 — MNIST at 2 µs per image, 2.9 mW and 2.51 pJ per spike, ISI input
 * encoding, TTFS readout (figures as quoted in cosearch issue 18).
 */
export const PAPER_SPIKING_FIGURES = Object.freeze({
  energyPerSpikeJ: 2.51e-12,
  powerW: 2.9e-3,
  latencyPerImageS: 2e-6,
  citation: 'ACM JETC 20(1), 2024, "Towards Energy-Efficient Spiking Neural Networks: A Robust Hybrid CMOS-Memristive Accelerator" (as quoted in issue 18)',
});
