/*
 * Maps of sites: draws every [data-map] element made by templates/includes/map.html.
 *
 * Plain ES2017, no build step. The page works without this file: the map container stays
 * hidden (CSS) and the legend and a link to the data are shown instead. Here we add the tile
 * layer named by data-tile-url and draw the sites, then mark the container ready so that CSS
 * shows it. Addresses are followed on this site's origin only.
 *
 * With data-map-url (/sites/map.json and the listing's filters) the map asks the server for
 * what it shows, after every move: without a box it answers the sites' extent; with
 * bbox=west,south,east,north and zoom it answers either clusters (mode "clusters": a point,
 * a count, counts by condition and an accessible label per grid cell), drawn as one focusable
 * marker each that zooms in when chosen, or the sites themselves (mode "sites"), capped, with
 * a message when there are more. Without it, the GeoJSON named by data-geojson-url is drawn
 * whole (a dossier's one site).
 *
 * Site properties read: name, url, category_label, condition (EAMENA English label or null),
 * condition_label, condition_status ("stated", "not_stated" or "not_assessed"),
 * condition_inferred, location_precision. Sites without a point are skipped.
 */
(function () {
  "use strict";

  const READY_CLASS = "map--ready";
  const APPROXIMATE_PRECISIONS = ["approximate", "settlement", "withheld"];
  // At least 24 CSS pixels: the smallest target WCAG 2.2 allows (2.5.8, target size).
  const MARKER_SIZE = 24;
  const CLUSTER_WIDTH = 64;
  const CLUSTER_HEIGHT = 28;
  const MAX_ZOOM = 19;

  /* The CSS class of a condition, as Django's slugify makes it in the legend. */
  function conditionClass(condition) {
    if (!condition) {
      return "map-condition-none";
    }
    const slug = String(condition)
      .toLowerCase()
      .replace(/[^a-z0-9_\s-]/g, "")
      .trim()
      .replace(/[-\s]+/g, "-");
    return "map-condition-" + (slug || "none");
  }

  /* An absolute URL on this site's origin, or null for anything else. */
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
    if (url.origin !== window.location.origin) {
      return null;
    }
    return url.href;
  }

  /* Fills "{name}" and "{condition}" in a translated pattern without regular expressions. */
  function fill(pattern, values) {
    let text = pattern;
    Object.keys(values).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function pointOf(feature) {
    const geometry = feature && feature.geometry;
    if (!geometry || geometry.type !== "Point" || !Array.isArray(geometry.coordinates)) {
      return null;
    }
    const lon = Number(geometry.coordinates[0]);
    const lat = Number(geometry.coordinates[1]);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
      return null;
    }
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      return null;
    }
    return [lat, lon];
  }

  function paragraph(className, text) {
    const element = document.createElement("p");
    element.className = className;
    element.textContent = text;
    return element;
  }

  /* The popup's content, built as DOM nodes so that no property is read as HTML. */
  function popupContent(properties, labels) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const title = document.createElement("p");
    title.className = "map-popup-name";
    // A name may be written in either direction: isolate it from the popup's own text.
    title.dir = "auto";
    const href = sameOriginUrl(properties.url);
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.textContent = properties.name;
      title.appendChild(link);
    } else {
      title.textContent = properties.name;
    }
    box.appendChild(title);
    if (properties.category_label) {
      box.appendChild(paragraph("map-popup-category", properties.category_label));
    }
    box.appendChild(paragraph("map-popup-condition", conditionLabel(properties, labels)));
    if (properties.condition_inferred) {
      box.appendChild(paragraph("map-popup-inference", labels.inferred));
    }
    if (APPROXIMATE_PRECISIONS.indexOf(properties.location_precision) !== -1) {
      box.appendChild(paragraph("map-popup-precision", labels.approximate));
    }
    return box;
  }

  function conditionLabel(properties, labels) {
    return properties.condition_label || labels.notAssessed;
  }

  /* Sites close together (a withheld location is shown at its place; a mosque and the
     caravanserai beside it) would hide one another at the map's zoom: markers closer than
     a target's width are moved side by side, centred on the first of them, so that each is
     a separate target of at least 24 pixels (WCAG 2.2, 2.5.8). The markers' geographic
     points do not change; only their icons are shifted, again after every zoom. */
  function spreadOverlapping(map, markers) {
    const spacing = MARKER_SIZE + 4;
    const points = markers.map(function (marker) {
      return map.latLngToLayerPoint(marker.getLatLng());
    });
    const grouped = markers.map(function () { return false; });
    markers.forEach(function (marker, first) {
      if (grouped[first]) {
        return;
      }
      const members = [first];
      for (let other = first + 1; other < markers.length; other += 1) {
        if (!grouped[other] && points[first].distanceTo(points[other]) < spacing) {
          members.push(other);
          grouped[other] = true;
        }
      }
      members.forEach(function (index, slot) {
        const element = markers[index].getElement();
        if (!element) {
          return;
        }
        const dx = points[first].x + (slot - (members.length - 1) / 2) * spacing - points[index].x;
        const dy = points[first].y - points[index].y;
        element.style.marginLeft = dx - MARKER_SIZE / 2 + "px";
        element.style.marginTop = dy - MARKER_SIZE / 2 + "px";
      });
    });
  }

  function siteMarker(L, point, properties, labels) {
    const condition = conditionLabel(properties, labels);
    let accessibleName = fill(labels.marker, { name: properties.name, condition: condition });
    if (APPROXIMATE_PRECISIONS.indexOf(properties.location_precision) !== -1) {
      accessibleName += " (" + labels.approximate + ")";
    }
    const half = MARKER_SIZE / 2;
    const icon = L.divIcon({
      className:
        "map-marker " +
        (properties.condition_status === "not_stated"
          ? "map-condition-not-stated"
          : conditionClass(properties.condition)),
      html: "",
      iconSize: [MARKER_SIZE, MARKER_SIZE],
      iconAnchor: [half, half],
      popupAnchor: [0, -half],
      tooltipAnchor: [0, -half],
    });
    // Leaflet markers (unlike vector circles) are focusable and open their popup on Enter.
    const marker = L.marker(point, { icon: icon, keyboard: true, riseOnHover: true });
    // Leaflet reads string content as HTML: give it a text node, never the name itself.
    marker.bindTooltip(document.createTextNode(properties.name), { direction: "top" });
    marker.bindPopup(popupContent(properties, labels));
    // The tooltip repeats the name above the marker, where the popup opens: hide it while
    // the popup is open (after a click or Enter) so that it never covers the popup.
    marker.on("popupopen", function () {
      marker.closeTooltip();
    });
    marker.on("tooltipopen", function () {
      if (marker.isPopupOpen()) {
        marker.closeTooltip();
      }
    });
    marker.on("add", function () {
      const element = marker.getElement();
      if (element) {
        element.setAttribute("aria-label", accessibleName);
      }
    });
    return marker;
  }

  async function fetchFeatures(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    });
    if (!response.ok) {
      throw new Error("GeoJSON request failed with HTTP " + response.status);
    }
    const data = await response.json();
    if (!data || !Array.isArray(data.features)) {
      throw new Error("The response is not a GeoJSON FeatureCollection");
    }
    return data.features;
  }

  /* Leaflet's map with its controls and tiles, in the container made visible. */
  function createMap(L, container) {
    // Leaflet needs a container with a size: show it before building the map.
    container.classList.add(READY_CLASS);
    // In a right-to-left page the controls move to the other side, as the text does.
    const rtl = window.getComputedStyle(container).direction === "rtl";
    const map = L.map(container, {
      keyboard: true,
      scrollWheelZoom: false,
      zoomControl: false,
      attributionControl: false,
    });
    L.control
      .zoom({
        position: rtl ? "topright" : "topleft",
        zoomInTitle: container.dataset.labelZoomIn || "Zoom in",
        zoomOutTitle: container.dataset.labelZoomOut || "Zoom out",
      })
      .addTo(map);
    L.control.attribution({ position: rtl ? "bottomleft" : "bottomright" }).addTo(map);
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution || "",
        maxZoom: MAX_ZOOM,
      }).addTo(map);
    }
    return map;
  }

  function mapLabels(container) {
    return {
      approximate: container.dataset.labelApproximate || "Approximate location",
      notAssessed: container.dataset.labelNotAssessed || "Not assessed",
      inferred:
        container.dataset.labelInferred || "By the register's inference: no source names this site.",
      marker: container.dataset.labelMarker || "{name}: {condition}",
    };
  }

  async function drawGeoJsonMap(L, container, url) {
    const labels = mapLabels(container);
    const features = await fetchFeatures(url);
    const map = createMap(L, container);
    const markers = [];
    features.forEach(function (feature) {
      const point = pointOf(feature);
      if (!point) {
        return;
      }
      const properties = Object.assign({ name: "" }, feature.properties || {});
      markers.push(siteMarker(L, point, properties, labels));
    });
    const group = L.featureGroup(markers).addTo(map);
    if (markers.length) {
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 14 });
    } else {
      map.setView([20, 0], 2);
    }
    spreadOverlapping(map, markers);
    map.on("zoomend", function () {
      spreadOverlapping(map, markers);
    });
  }

  async function fetchJson(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      const problem = new Error("Map data request failed with HTTP " + response.status);
      // The server says what was wrong with the request ({"error": ...}) where it can.
      const answer = await response.json().catch(function () {
        return null;
      });
      problem.serverMessage = answer && typeof answer.error === "string" ? answer.error : "";
      throw problem;
    }
    return response.json();
  }

  /* The condition a cluster holds most of, for its colour (the legend's classes). */
  function dominantCondition(cluster, conditions) {
    let best = -1;
    let condition = null;
    (cluster.counts || []).forEach(function (count, index) {
      if (count > best && conditions[index]) {
        best = count;
        condition = conditions[index].condition;
      }
    });
    return condition;
  }

  function clusterMarker(L, map, cluster, conditions, format) {
    const icon = L.divIcon({
      className: "map-cluster",
      html: "",
      iconSize: [CLUSTER_WIDTH, CLUSTER_HEIGHT],
      iconAnchor: [CLUSTER_WIDTH / 2, CLUSTER_HEIGHT / 2],
    });
    const point = [Number(cluster.lat), Number(cluster.lon)];
    const marker = L.marker(point, { icon: icon, keyboard: true, riseOnHover: true });
    const label = String(cluster.label || cluster.count);
    marker.bindTooltip(document.createTextNode(label), { direction: "top" });
    marker.on("add", function () {
      const element = marker.getElement();
      if (!element) {
        return;
      }
      element.setAttribute("aria-label", label);
      const swatch = document.createElement("span");
      swatch.className = "map-cluster-swatch " + conditionClass(dominantCondition(cluster, conditions));
      swatch.setAttribute("aria-hidden", "true");
      const count = document.createElement("span");
      count.className = "map-cluster-count";
      count.setAttribute("aria-hidden", "true");
      count.textContent = format.format(Number(cluster.count) || 0);
      element.replaceChildren(swatch, count);
    });
    // Choosing a cluster (a click, or Enter or Space on the focused marker) zooms in on it.
    function zoomIn() {
      map.setView(point, Math.min(map.getZoom() + 2, MAX_ZOOM));
    }
    marker.on("click", zoomIn);
    marker.on("keypress", function (event) {
      const key = event.originalEvent && event.originalEvent.key;
      if (key === "Enter" || key === " ") {
        event.originalEvent.preventDefault();
        zoomIn();
      }
    });
    return marker;
  }

  /* The visible box as the server accepts it: within -180..180 and -90..90. */
  function visibleBox(map) {
    const bounds = map.getBounds();
    let west = Math.max(-180, bounds.getWest());
    let east = Math.min(180, bounds.getEast());
    if (!(west < east)) {
      west = -180;
      east = 180;
    }
    const south = Math.max(-90, bounds.getSouth());
    const north = Math.min(90, bounds.getNorth());
    return [west, south, east, north].map(function (value) {
      return value.toFixed(5);
    });
  }

  async function drawDataMap(L, container, url) {
    const labels = mapLabels(container);
    const status = document.createElement("p");
    status.className = "map-status";
    status.setAttribute("role", "status");
    container.insertAdjacentElement("beforebegin", status);
    let extent;
    try {
      extent = await fetchJson(url);
    } catch (problem) {
      status.textContent = problem.serverMessage || "";
      throw problem;
    }
    const map = createMap(L, container);
    const layer = L.layerGroup().addTo(map);
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      notation: "compact",
    });
    let latest = 0;

    async function load() {
      const request = new URL(url);
      const box = visibleBox(map);
      request.searchParams.set("bbox", box.join(","));
      request.searchParams.set("zoom", String(Math.round(map.getZoom())));
      latest += 1;
      const ticket = latest;
      const data = await fetchJson(request.href);
      if (ticket !== latest) {
        return; // the map moved again meanwhile: a later answer is on its way
      }
      layer.clearLayers();
      const conditions = Array.isArray(data.conditions) ? data.conditions : [];
      if (data.mode === "clusters" && Array.isArray(data.clusters)) {
        data.clusters.forEach(function (cluster) {
          layer.addLayer(clusterMarker(L, map, cluster, conditions, format));
        });
        container.dataset.mapMode = "clusters";
      } else {
        const markers = [];
        (Array.isArray(data.sites) ? data.sites : []).forEach(function (site) {
          const point = pointOf({ geometry: { type: "Point", coordinates: [site.lon, site.lat] } });
          if (point) {
            markers.push(siteMarker(L, point, Object.assign({ name: "" }, site), labels));
          }
        });
        markers.forEach(function (marker) {
          layer.addLayer(marker);
        });
        spreadOverlapping(map, markers);
        container.dataset.mapMode = "sites";
      }
      status.textContent = data.truncated && data.message ? String(data.message) : "";
    }

    function reload() {
      load().catch(function (error) {
        status.textContent = error.serverMessage || "";
        window.console.warn("The map's data could not be loaded:", error);
      });
    }

    const bounds = extent && Array.isArray(extent.bounds) ? extent.bounds : null;
    if (bounds) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 });
    } else {
      map.setView([20, 0], 2);
    }
    map.on("moveend", reload);
    reload();
  }

  async function drawMap(L, container) {
    const dataUrl = sameOriginUrl(container.dataset.mapUrl);
    if (dataUrl) {
      return drawDataMap(L, container, dataUrl);
    }
    const url = sameOriginUrl(container.dataset.geojsonUrl);
    if (url) {
      return drawGeoJsonMap(L, container, url);
    }
    return undefined;
  }

  function start() {
    const L = window.L;
    if (!L || typeof window.fetch !== "function") {
      return;
    }
    document.querySelectorAll("[data-map]").forEach(function (container) {
      // The include may appear more than once on a page, loading this file more than once.
      if (container.dataset.mapStarted) {
        return;
      }
      container.dataset.mapStarted = "true";
      drawMap(L, container).catch(function (error) {
        container.classList.remove(READY_CLASS);
        window.console.warn("The map could not be drawn:", error);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
