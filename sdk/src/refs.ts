/**
 * Typed references for services and extension points.
 *
 * A reference is a unique symbol plus a phantom type, so `deps: { readers: extensionPoints.readers }`
 * gives the plugin a correctly typed value without reflection or emitted decorator metadata.
 */

declare const refType: unique symbol;

export interface ServiceRef<T> {
  readonly kind: 'service';
  readonly id: string;
  /** The DI token (tsyringe accepts symbols). */
  readonly token: symbol;
  /** Phantom field carrying the type; never set at run time. */
  readonly [refType]?: T;
}

export interface ExtensionPointRef<T> {
  readonly kind: 'extension-point';
  readonly id: string;
  readonly token: symbol;
  readonly [refType]?: T;
}

export type DependencyRef<T = unknown> = ServiceRef<T> | ExtensionPointRef<T>;

/** The value a reference resolves to. */
export type RefValue<R> = R extends ServiceRef<infer T> ? T : R extends ExtensionPointRef<infer T> ? T : never;

/** `{ a: ServiceRef<A>, b: ExtensionPointRef<B> }` → `{ a: A, b: B }`. */
export type ResolvedDeps<D extends Record<string, DependencyRef<any>>> = { [K in keyof D]: RefValue<D[K]> };

export function createServiceRef<T>(options: { id: string }): ServiceRef<T> {
  return Object.freeze({ kind: 'service', id: options.id, token: Symbol.for(`tessera.service:${options.id}`) });
}

export function createExtensionPoint<T>(options: { id: string }): ExtensionPointRef<T> {
  return Object.freeze({ kind: 'extension-point', id: options.id, token: Symbol.for(`tessera.extension-point:${options.id}`) });
}
