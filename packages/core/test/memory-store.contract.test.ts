import { MemoryStore } from "../src/store/memory-store.js";
import { runStoreContract } from "../src/testing/index.js";

runStoreContract("MemoryStore", () => new MemoryStore());
