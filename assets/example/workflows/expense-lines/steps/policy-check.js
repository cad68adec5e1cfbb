// A claim is within policy when no line was rejected and none is over 500 EUR.
function run(input) {
  const big = input.checked.some((line) => line.amount_eur > 500);
  return { ...input, policy_ok: !big && input.checked_errors.length === 0 };
}
