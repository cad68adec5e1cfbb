// Converts the claimed amount to EUR with the rate fetched by `fetch-rate`.
// `input` is the run's state; the returned object becomes the new state.
function run(input) {
  const rate = input.currency === "EUR" ? 1 : input.fx.rates.EUR;
  const amountEur = Math.round(input.amount * rate * 100) / 100;
  console.log(`${input.amount} ${input.currency} at ${rate} = ${amountEur} EUR`);
  return { ...input, rate, amount_eur: amountEur };
}
