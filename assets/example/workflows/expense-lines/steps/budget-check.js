// Runs beside `policy-check`: each sets a key of its own, so the join merges both.
function run(input) {
  return { ...input, budget_ok: input.total_eur <= input.budget_eur };
}
