/*
 * Suggestions as one types in a search box: fills the <datalist> named by the input's
 * "list" attribute with names from the endpoint named by its data-suggest-url (same origin
 * only), which answers {"query": text, "suggestions": [name, ...]}.
 *
 * Plain ES2017, no build step. The form works without this file: the datalist stays empty
 * and the search runs when the form is sent. Requests wait until typing pauses, an older
 * request is cancelled by a newer one, and names are set as text, never as HTML.
 */
(function () {
  "use strict";

  const PAUSE_MS = 150;
  const MIN_LENGTH = 2;

  function sameOriginUrl(value) {
    if (typeof value !== "string" || value === "") {
      return null;
    }
    let url;
    try {
      url = new URL(value, window.location.href);
    } catch (error) {
      return null;
    }
    return url.origin === window.location.origin ? url : null;
  }

  function fill(list, names) {
    const options = names
      .filter(function (name) {
        return typeof name === "string";
      })
      .map(function (name) {
        const option = document.createElement("option");
        option.value = name;
        return option;
      });
    list.replaceChildren.apply(list, options);
  }

  function attach(input) {
    const base = sameOriginUrl(input.dataset.suggestUrl);
    const list = input.list;
    if (!base || !list) {
      return;
    }
    let timer = null;
    let controller = null;

    function ask() {
      const text = input.value.trim();
      if (controller) {
        controller.abort();
      }
      if (text.length < MIN_LENGTH) {
        fill(list, []);
        return;
      }
      controller = new AbortController();
      const url = new URL(base.href);
      url.searchParams.set("q", text);
      fetch(url.href, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === text && Array.isArray(data.suggestions)) {
            fill(list, data.suggestions);
          }
        })
        .catch(function () {
          /* A cancelled or failed request leaves the suggestions as they were. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, PAUSE_MS);
    });
  }

  document.querySelectorAll("input[data-suggest-url][list]").forEach(attach);
})();
