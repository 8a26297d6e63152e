/**
 * One error root for the whole project; every package throws a subclass of `CosearchError` so a
 * CLI can print `err.message` as one clear line (no stack trace) for anything that is the user's
 * input, and let programming errors surface normally.
 */
export class CosearchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Describes a value for an error message: strings quoted, objects as compact JSON. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

/** An invalid configuration value: names the field (path), the value, and what is allowed. */
export class ConfigError extends CosearchError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`invalid ${field}: got ${showValue(value)}, expected ${allowed}`);
  }
}

/** A name looked up in a registry that has no such entry; lists what exists. */
export class NotFoundError extends CosearchError {
  constructor(
    readonly kind: string,
    readonly key: string,
    readonly available: readonly string[],
  ) {
    super(`unknown ${kind} ${JSON.stringify(key)}; available: ${available.length ? available.join(', ') : '(none)'}`);
  }
}

/** A metric that is NaN or infinite where a finite number is required. */
export class MetricError extends CosearchError {}

/** A file that is missing, truncated or corrupt; names the file and what was wrong. */
export class DataError extends CosearchError {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** A candidate that violates the search space (unknown decision, value not among the choices). */
export class CandidateError extends CosearchError {}
