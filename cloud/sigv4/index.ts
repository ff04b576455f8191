// SigV4 verification shared by the control plane (Authorization header) and the data plane
// (presigned WebSocket URL): the canonical request pieces and the signature check.
export {
  ALGORITHM,
  MAX_SKEW_MS,
  canonicalHeaders,
  canonicalQuery,
  decodeLoosely,
  escapeUri,
  parseAmzDate,
  parseCredential,
  queryPairs,
  sha256Hex,
  type CredentialScope,
} from "./canonical.ts";
export { signatureMatches, signingKey } from "./signature.ts";
