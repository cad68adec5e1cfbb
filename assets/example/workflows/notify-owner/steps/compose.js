function run(input) {
  return { ...input, message: `${input.subject}: ${input.total_eur} EUR in all.` };
}
