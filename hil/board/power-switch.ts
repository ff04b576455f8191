// The boundary to whatever cuts a board's power (style.md rule 1): a USB hub port (uhubctl), a relay,
// a PDU, or the simulated board. No dependencies on purpose.

export interface PowerSwitch {
  /** Power off, then on again; resolves once power is restored. */
  cycle(signal?: AbortSignal): Promise<void>;
}
