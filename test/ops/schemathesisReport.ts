// Reads Schemathesis's NDJSON event log (--report ndjson): which statuses each operation
// answered, so a test can prove the fuzzer got past the access rules.

interface Recorder {
  cases: Record<string, { value: { method: string; path: string } }>;
  /** Absent for a skipped scenario. */
  interactions?: Record<string, { response: { status_code: number } | null }>;
}

/** "METHOD /path/{template}" → status → how many answers. */
export function answersByOperation(ndjson: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const line of ndjson.split('\n')) {
    if (!line.startsWith('{"ScenarioFinished"')) continue;
    const { recorder } = (JSON.parse(line) as { ScenarioFinished: { recorder: Recorder } }).ScenarioFinished;
    for (const [caseId, interaction] of Object.entries(recorder.interactions ?? {})) {
      const c = recorder.cases[caseId]?.value;
      if (!c || !interaction.response) continue;
      const counts = (out[`${c.method} ${c.path}`] ??= {});
      const status = String(interaction.response.status_code);
      counts[status] = (counts[status] ?? 0) + 1;
    }
  }
  return out;
}
