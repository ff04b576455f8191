// Help strings of the 11 commands, byte for byte from the binary (firmware-shell §2.2–§2.12).
// Each already ends in "\r\n\n"; `help` prints them back to back with no separator.

export const HELP_TEXT = {
  help: "help:\r\n    List available commands and their arguments.\r\n    Usage:\r\n\n    help\r\n        Print help for all recognized commands\r\n\n    help <command>\r\n        Print help test for a specific command\r\n\n",
  conf: "conf:\r\n    Get/ Set/ Commit runtime configuration values\r\n    Usage:\r\n    conf get\r\n        Outputs the value of all runtime config options supported by the system.\r\n\n    conf get <key>\r\n        Outputs the current value of a given runtime config item.\r\n\n    conf set <key> <value>\r\n        Set the value of a given runtime config item. This change is staged\r\n        in volatile memory until a commit operation occurs.\r\n\n    conf commit\r\n        Commit staged config changes to nonvolatile memory.\r\n\n",
  pki: "pki:\r\n    Perform public/private key operations.\r\n    Usage:\r\n    pki <verb> <object> <args>\r\n        Valid verbs are { generate, import, export, list }\r\n        Valid object types are { key, csr, cert }\r\n        Arguments should be specified in --<arg_name> <value>\r\n\n    pki generate key <label_public> <label_private> <algorithm> <algorithm_param>\r\n        Generates a new private key to be stored in the specified labels\r\n\n    pki generate csr <label>\r\n        Generates a new Certificate Signing Request using the private key\r\n        with the specified label.\r\n        If no label is specified, the default tls private key is used.\r\n\n    pki generate cert <cert_label> <private_key_label>\r\n        Generate a new self-signed certificate\r\n\n    pki import cert <label>\r\n        Import a certificate into the given slot. The certificate should be \r\n        copied into the terminal in PEM format, ending with two blank lines.\r\n\n    pki export cert <label>\r\n        Export the certificate with the given label in pem format.\r\n        When no label is specified, the default certificate is exported.\r\n\n    pki import key <label>\r\n        Import a public key into the given slot. The key should be \r\n        copied into the terminal in PEM format, ending with two blank lines.\r\n\n    pki export key <label>\r\n        Export the public portion of the key with the specified label.\r\n\n",
  ps: "ps\r\n    List the status of all running tasks and related runtime statistics.\r\n\n",
  kill: "kill\r\n    kill [ -SIGNAME ] <Task ID>\r\n        Signal a task with the named signal and the specified task id.\r\n\n    kill [ -n ] <Task ID>\r\n        Signal a task with the given signal number and the specified task id.\r\n\n",
  killall:
    "killall\r\n    killall [ -SIGNAME ] <Task Name>\r\n    killall [ -n ] <Task Name>\r\n        Signal a task with a given name with the signal number or signal name given.\r\n\n",
  heapstat:
    "heapstat\r\n    heapstat [-b | --byte]\r\n        Display heap statistics in bytes.\r\n\n    heapstat -h | -k | --kibi\r\n        Display heap statistics in Kibibytes (KiB).\r\n\n    heapstat -m | --mebi\r\n        Display heap statistics in Mebibytes (MiB).\r\n\n    heapstat --kilo\r\n        Display heap statistics in Kilobytes (KB).\r\n\n    heapstat --mega\r\n        Display heap statistics in Megabytes (MB).\r\n\n",
  reset: "reset\r\n    Reset (reboot) the system.\r\n\n",
  uptime: "uptime\r\n    Display system uptime.\r\n\n",
  rngtest:
    "rngtest <number of bytes>\r\n    Read the specified number of bytes from the rng and output them base64 encoded.\r\n\n",
  assert: "assert\r\n   Cause a failed assertion.\r\n\n",
} as const;

export type CommandName = keyof typeof HELP_TEXT;
