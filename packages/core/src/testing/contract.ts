/**
 * `@tandem/core/store-contract`: the suite every `Store` passes. Apart from `@tandem/core/testing`
 * because it imports vitest (describe, it, expect); the fakes and fixtures there do not.
 * @module
 */
export type { StoreFactory } from "./store-contract.js";
export { rejectionOf, runStoreContract } from "./store-contract.js";
