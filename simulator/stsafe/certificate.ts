// The X.509 builder moved to crypto/ (shared with the IoT Core twin); this path stays for existing imports.
export * from "../../crypto/x509-certificate.ts";
