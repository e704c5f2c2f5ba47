/**
 * Caller adjustments to {@link maskSecrets}. Every field is optional; the defaults are what the
 * agent uses for `*_masked` fields and ApprovalDetails.
 */
export interface MaskOptions {
  /**
   * More key names to treat as sensitive (matched by word, like the built-in ones: `"ssn"` also
   * masks `userSsn` and `USER_SSN`). They apply to object keys, header pairs and `key=value`
   * text inside strings.
   */
  readonly extraKeys?: ReadonlyArray<string>
  /**
   * Key names never masked by the extended rules (compared after word normalisation, so
   * `"sessionId"` also allows `session_id`). A value under such a key is kept as it is, and the
   * strings below it are not scanned. The seed's substring rule still applies: a key the seed
   * masks stays masked, so the superset law holds whatever this list says.
   */
  readonly allowKeys?: ReadonlyArray<string>
  /**
   * More patterns whose matches are masked inside every string. The `g`/`y` flags of the given
   * RegExp are irrelevant: a private global copy is used. If the pattern has a named group
   * `secret`, only that group is masked, otherwise the whole match. The caller is responsible
   * for the pattern being free of catastrophic backtracking.
   */
  readonly extraPatterns?: ReadonlyArray<RegExp>
}
