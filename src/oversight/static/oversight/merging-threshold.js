// The threshold slider shows its value while it moves; the page recomputes on submit.
document.querySelectorAll("input[type=range][name=threshold]").forEach((range) => {
  const output = document.querySelector(`output[for="${range.id}"]`);
  if (output) range.addEventListener("input", () => { output.value = Number(range.value).toFixed(2); });
});
