/*
 * Filter forms (templates/includes/filter_form.html): leaves the fields left empty, and a
 * field at the default its element names in data-default (the sort), out of the address, so
 * that "/sites/?category=mosque" is sent rather than "/sites/?q=&category=mosque&area=&...".
 * Without this file the form sends every field and the server reads empty parameters as
 * absent, and an absent sort as the default: both addresses give the same page.
 */
(function () {
  "use strict";

  function dropEmptyFields(event) {
    const data = event.formData;
    const form = event.target;
    const names = [];
    data.forEach(function (value, name) {
      if (names.indexOf(name) === -1) {
        names.push(name);
      }
    });
    names.forEach(function (name) {
      const field = form.elements.namedItem(name);
      const fallback = field && field.dataset ? field.dataset.default : undefined;
      // Only a name whose every value is empty (or the default) goes: a repeated parameter
      // keeps its values.
      const unneeded = data.getAll(name).every(function (value) {
        const text = String(value).trim();
        return text === "" || (fallback !== undefined && text === fallback);
      });
      if (unneeded) {
        data.delete(name);
      }
    });
  }

  document.querySelectorAll("form[data-drop-empty]").forEach(function (form) {
    form.addEventListener("formdata", dropEmptyFields);
  });
})();
