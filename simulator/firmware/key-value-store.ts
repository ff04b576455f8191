// The kvstore RAM cache over STSAFE zone 1 (firmware-shell §3.2–§3.5).
import { CONFIG_KEYS, ConfigRecord, type ConfigKey, type ConfigValue } from "../stsafe/config-record.ts";
import type { SecureElement } from "../stsafe/secure-element.ts";
import type { FirmwareProfile } from "./profiles.ts";

export class KeyValueStore {
  private readonly cache = new Map<ConfigKey, ConfigValue>();
  /** "Changed" marks are never cleared, so every later commit rewrites these keys again (§3.2). */
  private readonly changed = new Set<ConfigKey>();

  /** Boot: load zone 1, writing the fresh-board defaults when it is invalid (§3.1, §3.6). */
  constructor(
    private readonly se: SecureElement,
    profile: FirmwareProfile,
  ) {
    let record = se.readConfig();
    if (!record) {
      record = ConfigRecord.defaults(
        {
          thing_name: se.commonName,
          mqtt_endpoint: "",
          mqtt_port: 0,
          wifi_ssid: "",
          wifi_credential: "",
          time_hwm: 0,
        },
        profile.thingNameKeepsLastChar,
      );
      se.writeConfig(record);
    }
    for (const key of CONFIG_KEYS) this.cache.set(key, record.get(key) ?? fallback(key));
  }

  get(key: ConfigKey): ConfigValue {
    return this.cache.get(key) ?? fallback(key);
  }

  getString(key: ConfigKey): string {
    return String(this.get(key));
  }

  getNumber(key: ConfigKey): number {
    const v = this.get(key);
    return typeof v === "number" ? v : 0;
  }

  /** Staged in RAM; visible at once, lost on reset unless committed. */
  set(key: ConfigKey, value: ConfigValue): void {
    this.cache.set(key, value);
    this.changed.add(key);
  }

  private snapshot(): Record<ConfigKey, ConfigValue> {
    return Object.fromEntries(CONFIG_KEYS.map((k) => [k, this.get(k)])) as Record<ConfigKey, ConfigValue>;
  }

  /** Keys a commit will write, in key order. */
  pendingKeys(): ConfigKey[] {
    return CONFIG_KEYS.filter((k) => this.changed.has(k));
  }

  /**
   * Writes one changed key (one full-record zone write). The STSAFE back-end refuses key 0, the
   * thing name (§3.5). Returns false when the write was refused.
   */
  commitKey(key: ConfigKey): boolean {
    if (key === "thing_name") return false;
    const base = this.se.readConfig(false) ?? ConfigRecord.defaults(this.snapshot(), true);
    this.se.writeConfig(base.with(key, this.get(key)));
    return true;
  }
}

/** The compiled-in defaults, used only when an entry cannot be read (§3.1). */
function fallback(key: ConfigKey): ConfigValue {
  return key === "mqtt_port" ? 8883 : key === "time_hwm" ? 0 : "";
}
