// The incident page's map: country outlines from world-atlas (as on the main map), one marker
// per member report the page lists with coordinates, fitted to them.
//
// Everything shown comes from the page's own (escaped) text through textContent, never as
// HTML: reports are untrusted.
"use strict";

(function () {
    const mapElement = document.getElementById("incident-map");
    if (!mapElement) return;
    const config = mapElement.dataset;
    const reports = Array.from(document.querySelectorAll("#timeline > li[data-latitude]"));

    const map = L.map(mapElement, { zoomSnap: 0.25 });
    map.setView([33.2, 35.5], 8);
    map.attributionControl.addAttribution(config.outlineAttribution);
    if (config.tileUrl) {
        // a base layer only when the operator configured one: else no request leaves this server
        L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "" }).addTo(map);
    }
    map.createPane("outlines").style.zIndex = "350";

    function element(tag, className, text) {
        const node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined && text !== null) node.textContent = String(text);
        return node;
    }

    function textOf(item, selector) {
        const found = item.querySelector(selector);
        return found ? found.textContent.trim() : "";
    }

    function popupContent(item) {
        const box = element("div", "truce-popup");
        box.dataset.eventId = item.dataset.eventId;
        box.appendChild(element("div", "event-type", textOf(item, ".outlet")));
        box.appendChild(element("div", "date", textOf(item, ".published")));
        box.appendChild(element("div", "title", textOf(item, ".title")));
        box.appendChild(element("blockquote", "evidence", textOf(item, ".evidence")));
        return box;
    }

    const markers = L.featureGroup().addTo(map);
    for (const item of reports) {
        const latitude = Number(item.dataset.latitude);
        const longitude = Number(item.dataset.longitude);
        if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) continue;
        const marker = L.circleMarker([latitude, longitude], {
            radius: 8,
            color: "#222",
            weight: 1,
            fillColor: "#ff7f0e",
            fillOpacity: 0.85,
            className: "truce-marker",
        });
        marker.bindPopup(function () { return popupContent(item); }, { maxWidth: 320 });
        marker.on("add", function () {
            const path = marker.getElement();
            if (path) path.setAttribute("data-event-id", item.dataset.eventId);
        });
        markers.addLayer(marker);
    }
    if (markers.getLayers().length > 0) {
        map.fitBounds(markers.getBounds(), { padding: [40, 40], maxZoom: 11 });
    }
    mapElement.dataset.markers = String(markers.getLayers().length);

    fetch(config.countriesUrl, { headers: { Accept: "application/json" } })
        .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
        })
        .then(function (topology) {
            const countries = topojson.feature(topology, topology.objects.countries);
            L.geoJSON(countries, {
                pane: "outlines",
                interactive: false,
                style: {
                    color: "#7a8794",
                    weight: 0.8,
                    fillColor: "#f4f1ea",
                    fillOpacity: config.tileUrl ? 0 : 1,
                },
            }).addTo(map);
        })
        .catch(function (error) {
            mapElement.parentNode.insertBefore(
                element("p", "note error", "Could not load country outlines: " + error.message),
                mapElement.nextSibling,
            );
        });
})();
