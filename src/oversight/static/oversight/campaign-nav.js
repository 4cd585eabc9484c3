// On a phone the campaign's navigation is one row that scrolls sideways: bring the current
// page's button into view, so that it is not hidden past the right edge.
document.addEventListener("DOMContentLoaded", () => {
  const current = document.querySelector(".campaign-nav [aria-current='page']");
  if (current) current.scrollIntoView({ block: "nearest", inline: "center" });
});
