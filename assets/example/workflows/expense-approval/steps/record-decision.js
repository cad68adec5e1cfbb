// Keeps who approved the claim, as the approval step recorded it.
function run(input) {
  const decision = input["manager-approval"];
  return { ...input, approved_by: decision.by || "manager", approval_comment: decision.comment || "" };
}
