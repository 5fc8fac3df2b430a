// Report downloads take a second or two: say so while the PDF is being made. Without
// JavaScript the links are plain downloads.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-download]");
    if (!link) return;
    event.preventDefault();
    var status = document.querySelector("[data-download-status]");
    var original = status ? status.textContent : "";
    if (status) status.hidden = false;
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        var match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
        return response.blob().then(function (blob) { return [blob, match ? match[1] : "rapport.pdf"]; });
      })
      .then(function (result) {
        var url = URL.createObjectURL(result[0]);
        var save = document.createElement("a");
        save.href = url;
        save.download = result[1];
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        if (status) status.hidden = true;
      })
      .catch(function () {
        if (status) status.textContent = status.dataset.error || "Het rapport kon niet worden gemaakt.";
      })
      .finally(function () {
        link.removeAttribute("aria-busy");
        setTimeout(function () { if (status) status.textContent = original; }, 5000);
      });
  });
})();
