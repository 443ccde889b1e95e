// What the ballot module needs from the audited noble libraries, bundled into one ES module.
export { ed25519 } from "@noble/curves/ed25519.js";
export { sha256, sha512 } from "@noble/hashes/sha2.js";
