// Adds up the lines that passed their check (`checked`, one result per line).
function run(input) {
  const total = input.checked.reduce((sum, line) => sum + line.amount_eur, 0);
  return { ...input, total_eur: Math.round(total * 100) / 100 };
}
