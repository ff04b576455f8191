// firmware-shell §3.3–§3.5: `conf get|set|commit` over the kvstore cache.
import type { Cli, Command } from "../cli.ts";
import { strtoul } from "../cli.ts";
import { HELP_TEXT } from "../help-texts.ts";
import { CONFIG_KEYS, isNumericKey, type ConfigKey } from "../../stsafe/config-record.ts";
import { SecureElement } from "../../stsafe/secure-element.ts";

const RECORD_BYTES = 444;

function isKey(name: string): name is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(name);
}

function line(cli: Cli, key: ConfigKey): string {
  const value = cli.kv.get(key);
  return isNumericKey(key) ? `${key}=${value}\r\n` : `${key}="${value}"\r\n`;
}

const notRecognized = (key: string): string => `Error: key: ${key} was not recognized.\r\n`;

export const conf: Command = async (cli, args) => {
  const [verb, key, value] = args;
  if (verb === "get") {
    if (key === undefined) return cli.out(cli.profile.confGetOrder.map((k) => line(cli, k)).join(""));
    return cli.out(isKey(key) ? line(cli, key) : notRecognized(key));
  }
  if (verb === "set" && key !== undefined) {
    if (!isKey(key)) return cli.out(notRecognized(key));
    // Numbers go through strtoul: "abc" is 0, "8883abc" is 8883, "-5" wraps (§3.3).
    cli.kv.set(key, isNumericKey(key) ? strtoul(value ?? "", 10).value : (value ?? ""));
    return cli.out(line(cli, key));
  }
  if (verb === "commit") {
    let ok = true;
    for (const changed of cli.kv.pendingKeys()) {
      if (changed === "thing_name") {
        ok = false;
        continue;
      }
      await cli.work(SecureElement.writeDurationMs(RECORD_BYTES));
      ok = cli.kv.commitKey(changed) && ok;
    }
    return cli.out(
      ok ? "Configuration saved to NVM.\r\n" : "Error: Could not save configuration to NVM.\r\n",
    );
  }
  cli.out(HELP_TEXT.conf);
};
