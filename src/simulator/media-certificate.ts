// The local WhatsApp server's media host speaks HTTPS, as WhatsApp's does, with this self-signed
// certificate for 127.0.0.1 and localhost (valid until 2126). Its private key is published here, so it
// proves nothing: a client trusts it only when told to (tests and demo mode pass MEDIA_HOST_CA as the
// media transport's certificate authority), never as a system-wide root.

export const MEDIA_HOST_CERT = `-----BEGIN CERTIFICATE-----
MIIB7TCCAZOgAwIBAgIUWs3oaSA/+HmEUvUA6ZZqUJ3VmskwCgYIKoZIzj0EAwIw
PTE7MDkGA1UEAwwyU3dpdGNoYm9hcmQgbG9jYWwgV2hhdHNBcHAgbWVkaWEgaG9z
dCAodGVzdHMgb25seSkwIBcNMjYxMjA1MjA0MzU2WhgPMjEyNjExMTEyMDQzNTZa
MD0xOzA5BgNVBAMMMlN3aXRjaGJvYXJkIGxvY2FsIFdoYXRzQXBwIG1lZGlhIGhv
c3QgKHRlc3RzIG9ubHkpMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEMnFKCS8+
tcTuWVzvNsdLJkwHzD1E5EnU2bpYvRYLD0jpetaHITz34LrL38MkuCQy9MBb5QoO
n1dPz7ZFlsUKGKNvMG0wHQYDVR0OBBYEFKr331EdkE9opPGyB6rFOvkpjMdtMB8G
A1UdIwQYMBaAFKr331EdkE9opPGyB6rFOvkpjMdtMBoGA1UdEQQTMBGHBH8AAAGC
CWxvY2FsaG9zdDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDu
KB2wU2E7qFTPal1mKmCHPvZDjKMlafdlUg2A1kG7SgIgBtCfWX0RQV12GFlWzXk0
zrYkcWJ4ovTz6fZ8+mSeNGA=
-----END CERTIFICATE-----
`;

export const MEDIA_HOST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLYoaCNTd0fVLWqVJ
MmLIj9tho8xliWx1pIutRy1VGBGhRANCAAQycUoJLz61xO5ZXO82x0smTAfMPUTk
SdTZuli9FgsPSOl61ochPPfgusvfwyS4JDL0wFvlCg6fV0/PtkWWxQoY
-----END PRIVATE KEY-----
`;

/** What a client of the local media host must trust: the certificate itself (it is its own issuer). */
export const MEDIA_HOST_CA = MEDIA_HOST_CERT;
