/*
 * Filter forms (templates/includes/filter_form.html): leaves the fields left empty out of
 * the address, so that "/sites/?category=mosque" is sent rather than
 * "/sites/?q=&category=mosque&area=&...". Without this file the form sends every field and
 * the server reads empty parameters as absent: both addresses give the same page.
 */
(function () {
  "use strict";

  function dropEmptyFields(event) {
    const data = event.formData;
    const empty = [];
    data.forEach(function (value, name) {
      if (typeof value === "string" && value.trim() === "") {
        empty.push(name);
      }
    });
    empty.forEach(function (name) {
      // Only a name whose every value is empty goes: a repeated parameter keeps its values.
      if (data.getAll(name).every(function (value) { return String(value).trim() === ""; })) {
        data.delete(name);
      }
    });
  }

  document.querySelectorAll("form[data-drop-empty]").forEach(function (form) {
    form.addEventListener("formdata", dropEmptyFields);
  });
})();
