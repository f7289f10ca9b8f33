// The strategy page's print button: the page prints as it is, with its print styles.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("strategy-print");
  if (button) button.addEventListener("click", function () { window.print(); });
});
