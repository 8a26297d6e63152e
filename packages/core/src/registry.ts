import { NotFoundError, CosearchError } from './errors';

/** One registered plug-in: a factory from plain config, plus what a listing shows. */
export interface RegistryEntry<T, C = Record<string, unknown>> {
  /** Versioned id, e.g. `reinforce-v1`, `mnasnet-v1`. Changing behaviour means a new id. */
  readonly name: string;
  readonly description: string;
  /** Parameters with their defaults, for `cosearch list`. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  create(config: C): T;
}

/**
 * Generic name → factory registry (tfjs `registerKernel`, Gymnasium `register` style). Lookups
 * of unknown names throw a `NotFoundError` listing what exists.
 */
export class Registry<T, C = Record<string, unknown>> {
  private readonly entries = new Map<string, RegistryEntry<T, C>>();

  constructor(readonly kind: string) {}

  register(entry: RegistryEntry<T, C>, options: { replace?: boolean } = {}): void {
    if (this.entries.has(entry.name) && !options.replace) {
      throw new CosearchError(`${this.kind} ${JSON.stringify(entry.name)} is already registered (pass { replace: true } to override)`);
    }
    this.entries.set(entry.name, entry);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): RegistryEntry<T, C> {
    const e = this.entries.get(name);
    if (!e) throw new NotFoundError(this.kind, name, this.names());
    return e;
  }

  create(name: string, config: C): T {
    return this.get(name).create(config);
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  list(): RegistryEntry<T, C>[] {
    return this.names().map((n) => this.entries.get(n)!);
  }
}
