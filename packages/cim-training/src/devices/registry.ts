import { Registry } from '@cosearch/core';
import type { DeviceModel } from './types';
import { constantStepModel } from './constant-step';
import { softBoundsModel } from './soft-bounds';
import { neurosimNonlinearModel } from './neurosim-nonlinear';

/** Device update models by versioned name; register your own with `deviceModelRegistry.register`. */
export const deviceModelRegistry = new Registry<DeviceModel, Record<string, never>>('device model');

for (const m of [constantStepModel, softBoundsModel, neurosimNonlinearModel]) {
  deviceModelRegistry.register({ name: m.name, description: m.description, create: () => m });
}

export function getDeviceModel(name: string): DeviceModel {
  return deviceModelRegistry.create(name, {});
}
