/* The SPARQL page's editor: CodeMirror 5 (vendored from npm, static/vendor/codemirror) on the query's text area,
   with SPARQL highlighting; the saved queries as examples that fill it; the line (and column) of an error marked.
   Without JavaScript the page is the same plain form. No network use, no eval, no inline code (CSP script-src
   'self'). Tab moves on to the next control (no keyboard trap); Ctrl-Enter runs the query. */
(function () {
  "use strict";
  var area = document.getElementById("query");
  if (!area || typeof CodeMirror === "undefined") {
    return;
  }
  var label = document.getElementById("query-label");
  var editor;
  function run() {
    editor.save();
    area.form.requestSubmit ? area.form.requestSubmit() : area.form.submit();
  }
  editor = CodeMirror.fromTextArea(area, {
    mode: "application/sparql-query",
    lineNumbers: true,
    lineWrapping: true,
    indentUnit: 2,
    viewportMargin: Infinity,
    screenReaderLabel: label ? label.textContent : "SPARQL",
    extraKeys: {"Tab": false, "Shift-Tab": false, "Ctrl-Enter": run, "Cmd-Enter": run}
  });
  var hint = area.getAttribute("aria-describedby");
  if (hint) {
    editor.getInputField().setAttribute("aria-describedby", hint);
  }
  if (label) {  /* the label names the editor now: a click on it goes there */
    label.addEventListener("click", function () { editor.focus(); });
  }

  var data = document.getElementById("examples-data");
  var pick = document.getElementById("example");
  if (data && pick) {
    var examples = JSON.parse(data.textContent);
    pick.addEventListener("change", function () {
      if (Object.prototype.hasOwnProperty.call(examples, pick.value)) {
        editor.setValue(examples[pick.value]);
      }
    });
    var open = document.getElementById("example-open");
    if (open) {
      open.hidden = true;  /* choosing fills the editor at once */
    }
  }

  var error = document.querySelector(".error[data-line]");
  if (error) {
    var line = parseInt(error.getAttribute("data-line"), 10) - 1;
    var column = parseInt(error.getAttribute("data-column") || "1", 10) - 1;
    if (line >= 0 && line < editor.lineCount()) {
      editor.addLineClass(line, "background", "cm-error-line");
      editor.addLineClass(line, "gutter", "cm-error-gutter");
      editor.setCursor({line: line, ch: Math.max(0, column)});
      editor.scrollIntoView(null, 40);
    }
  }
})();
