// A contract version row written straight into the tables, as older data or another writer left it
// (tests that need what the API would refuse: overlapping contracts, versions from before dating).
export function storedVersionRow(contractId: string, createdBy: string, createdAt: string, extra: Record<string, unknown> = {}) {
  return {
    contract_id: contractId,
    version: 1,
    period_start: '2019-01-01',
    period_end: '2019-12-31',
    ended_on: null,
    model: 'fixed' as const,
    price_ore: 5_000_000,
    base_share_bp: 2500,
    success_share_bp: 7500,
    success_weeks: 13,
    success_window_weeks: 26,
    course_days: 365,
    activation_requirement_pct: 30,
    documentation_deadline_day: 10,
    commitments_json: '[]',
    reason: null as string | null,
    created_by: createdBy,
    created_at: createdAt,
    ...extra,
  };
}
