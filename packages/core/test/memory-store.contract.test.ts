import { MemoryStore } from "../src/store/memory-store.js";
import { runStoreContract } from "../src/testing/contract.js";

runStoreContract("MemoryStore", () => new MemoryStore());
