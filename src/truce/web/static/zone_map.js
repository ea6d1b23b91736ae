// The economic-zone page's map: country outlines from world-atlas (as on the other maps), the
// zone's current geometry and the projects, sites, positions and incident points inside it,
// from the page's GeoJSON URL (the viewer's own, through its session). The period control
// shows only the incidents, sites and positions of one period of the activity table.
//
// Every text comes from the data through textContent, never as HTML: records are untrusted.
"use strict";

(function () {
    const mapElement = document.getElementById("zone-map");
    if (!mapElement) return;
    const config = mapElement.dataset;
    const periodSelect = document.getElementById("zone-period");
    const periodShown = document.getElementById("zone-period-shown");

    const COLOURS = {
        project: "#2ca02c",
        site: "#d62728",
        position: "#9467bd",
        incident: "#ff7f0e",
    };
    const LABELS = { project: "Project", site: "Site", position: "Position", incident: "Incident" };

    const map = L.map(mapElement, { zoomSnap: 0.25 });
    map.setView([33.2, 35.5], 9);
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

    function popupContent(properties) {
        const box = element("div", "truce-popup");
        const kind = properties.kind;
        box.appendChild(element("div", "event-type", LABELS[kind] + " " + properties.id));
        const title = properties.title || properties.name || properties.location || "";
        if (title) box.appendChild(element("div", "title", title));
        const details = [
            properties.project_kind || properties.site_kind || properties.event_type,
            properties.status,
            properties.sponsor,
            properties.holder_party && "held by " + properties.holder_party,
            properties.supported_by && "supported by " + properties.supported_by,
            properties.reported_on || properties.event_date,
        ].filter(Boolean);
        if (details.length) box.appendChild(element("div", "date", details.join(" · ")));
        return box;
    }

    // the ids of each period of the activity table, by kind
    function idsOf(row, name) {
        return new Set((row.dataset[name] || "").split(" ").filter(Boolean));
    }
    const periods = Array.from(document.querySelectorAll("table.zone-activity tr[data-period]"))
        .map(function (row) {
            return {
                label: row.dataset.label,
                incident: idsOf(row, "incidents"),
                site: idsOf(row, "sites"),
                position: idsOf(row, "positions"),
            };
        });

    const points = [];  // {kind, id, marker}
    const zoneLayer = L.featureGroup().addTo(map);
    const pointLayer = L.featureGroup().addTo(map);

    function draw(collection) {
        for (const feature of collection.features) {
            const properties = feature.properties || {};
            if (properties.kind === "zone") {
                L.geoJSON(feature, {
                    style: {
                        color: "#1f5f99",
                        weight: 2,
                        fillColor: "#1f5f99",
                        fillOpacity: 0.12,
                        className: "zone-polygon",
                    },
                }).addTo(zoneLayer);
                continue;
            }
            const coordinates = feature.geometry && feature.geometry.coordinates;
            if (!coordinates || !COLOURS[properties.kind]) continue;
            const marker = L.circleMarker([coordinates[1], coordinates[0]], {
                radius: properties.kind === "incident" ? 6 : 8,
                color: "#222",
                weight: 1,
                fillColor: COLOURS[properties.kind],
                fillOpacity: 0.85,
                className: "zone-marker zone-" + properties.kind,
            });
            marker.bindPopup(function () { return popupContent(properties); }, { maxWidth: 320 });
            marker.on("add", function () {
                const path = marker.getElement();
                if (path) {
                    path.setAttribute("data-kind", properties.kind);
                    path.setAttribute("data-id", String(properties.id));
                }
            });
            points.push({ kind: properties.kind, id: String(properties.id), marker: marker });
        }
        if (zoneLayer.getLayers().length > 0) {
            map.fitBounds(zoneLayer.getBounds(), { padding: [30, 30], maxZoom: 12 });
        }
        showPeriod();
        mapElement.dataset.loaded = "true";
    }

    // all points, or those of one period (projects and the zone are always shown)
    function showPeriod() {
        const chosen = periodSelect && periodSelect.value !== "" ? periods[Number(periodSelect.value)] : null;
        let shown = 0;
        for (const point of points) {
            const visible = !chosen || point.kind === "project" || chosen[point.kind].has(point.id);
            if (visible && !pointLayer.hasLayer(point.marker)) pointLayer.addLayer(point.marker);
            if (!visible && pointLayer.hasLayer(point.marker)) pointLayer.removeLayer(point.marker);
            if (visible) shown += 1;
        }
        mapElement.dataset.shown = String(shown);
        if (periodShown) {
            periodShown.textContent = (chosen ? chosen.label + ": " : "") + shown + " on the map";
        }
    }
    if (periodSelect) periodSelect.addEventListener("change", showPeriod);

    function fetchJson(url) {
        return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
        });
    }

    function failed(what, error) {
        mapElement.parentNode.insertBefore(
            element("p", "note error", "Could not load " + what + ": " + error.message),
            mapElement.nextSibling,
        );
    }

    fetchJson(config.geojsonUrl).then(draw).catch(function (error) { failed("the zone", error); });

    fetchJson(config.countriesUrl)
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
        .catch(function (error) { failed("country outlines", error); });
})();
