// Claims under the threshold are approved by the system itself.
function run(input) {
  return { ...input, approved_by: "system" };
}
