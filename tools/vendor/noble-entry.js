// What the ballot module needs from the audited noble libraries, bundled into one ES module:
// the ristretto255 group (RFC 9496) and SHA-2.
export { ristretto255 } from "@noble/curves/ed25519.js";
export { sha256, sha512 } from "@noble/hashes/sha2.js";
