// The map page: country outlines from world-atlas, one marker per event with coordinates,
// the event list beside it, and filters that refetch /api/events.
//
// Data from the store (document text, evidence, names) is only ever put into the page with
// textContent, never as HTML: ingested articles are untrusted.
"use strict";

(function () {
    const EVENT_COLOURS = {
        "Battles": "#d62728",
        "Explosions/Remote violence": "#ff7f0e",
        "Violence against civilians": "#9467bd",
        "Protests": "#2ca02c",
        "Riots": "#8c564b",
        "Strategic developments": "#1f77b4",
    };
    const NO_TYPE_COLOUR = "#7f7f7f";
    const NO_TYPE_LABEL = "Verbal / diplomatic (no ACLED type)";
    const PAGE_SIZE = 1000;
    const MAX_PAGES = 50; // 50 000 events: beyond that the filters are the way in

    const mapElement = document.getElementById("map");
    const config = mapElement.dataset;
    const form = document.getElementById("filters");
    const list = document.getElementById("event-list");
    const statusLine = document.getElementById("status");

    const map = L.map(mapElement, { worldCopyJump: true, zoomSnap: 0.25 });
    map.setView([30, 20], 3);
    map.attributionControl.addAttribution(config.outlineAttribution);
    if (config.tileUrl) {
        // A raster base layer only when the operator configured one: otherwise the page
        // makes no request beyond this server.
        L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "" }).addTo(map);
    }

    // Outlines in their own pane below the markers' (overlayPane, z 400), whenever they load.
    map.createPane("outlines").style.zIndex = "350";
    const outlines = L.layerGroup().addTo(map);
    const markers = L.featureGroup().addTo(map);
    let loadGeneration = 0;

    function colourFor(eventType) {
        return EVENT_COLOURS[eventType] || NO_TYPE_COLOUR;
    }

    function element(tag, className, text) {
        const node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined && text !== null) node.textContent = String(text);
        return node;
    }

    function eventPageUrl(event) {
        return config.eventBase + encodeURIComponent(String(event.id));
    }

    function typeLabel(event) {
        if (!event.event_type) return event.plover ? "PLOVER " + event.plover : NO_TYPE_LABEL;
        return event.sub_event_type ? event.event_type + " · " + event.sub_event_type : event.event_type;
    }

    function placeLabel(event) {
        const parts = [event.location, event.admin1, event.country].filter(Boolean);
        return parts.length ? parts.join(", ") : "place unknown";
    }

    function dateLabel(event) {
        return event.event_date || "date unknown";
    }

    function popupContent(event) {
        const box = element("div", "truce-popup");
        box.dataset.eventId = String(event.id);
        box.appendChild(element("div", "event-type", typeLabel(event)));
        if (event.classification && event.classification !== "public") {
            box.appendChild(element("div", "classification", classificationLabel(event)));
        }
        box.appendChild(element("div", "date", dateLabel(event)));
        box.appendChild(element("div", "place", placeLabel(event)));
        const actors = [event.actor1, event.actor2].filter(Boolean).join(" → ");
        if (actors) box.appendChild(element("div", "actors", actors));
        box.appendChild(element("blockquote", "evidence", event.evidence ? event.evidence.text : ""));
        const link = element("a", "event-link", "Event page and source text");
        link.href = eventPageUrl(event);
        box.appendChild(link);
        return box;
    }

    // who may see the event, as the event page says it (truce.web.views.classification_label)
    function classificationLabel(event) {
        if (event.classification === "committee") return "committee";
        return "restricted: " + (event.owner_party || "no party");
    }

    function listItem(event, marker) {
        const item = element("li");
        item.dataset.eventId = String(event.id);
        const button = element("button");
        button.type = "button";
        const headline = element("span", "headline");
        const swatch = element("span", "swatch");
        swatch.style.background = colourFor(event.event_type);
        headline.appendChild(swatch);
        headline.appendChild(element("span", null, typeLabel(event)));
        if (event.classification && event.classification !== "public") {
            headline.appendChild(element("span", "classification", classificationLabel(event)));
        }
        button.appendChild(headline);
        button.appendChild(element("div", "meta", dateLabel(event) + " — " + placeLabel(event)));
        button.appendChild(element("div", "snippet", event.evidence ? event.evidence.text : ""));
        if (marker) {
            button.addEventListener("click", function () {
                map.setView(marker.getLatLng(), Math.max(map.getZoom(), 9));
                marker.openPopup();
            });
        } else {
            button.appendChild(element("div", "no-coordinates", "No coordinates: open the event page"));
            button.addEventListener("click", function () {
                window.location.assign(eventPageUrl(event));
            });
        }
        item.appendChild(button);
        return item;
    }

    function markerFor(event) {
        const colour = colourFor(event.event_type);
        const marker = L.circleMarker([event.latitude, event.longitude], {
            radius: 7,
            color: "#222",
            weight: 1,
            fillColor: colour,
            fillOpacity: 0.85,
            className: "truce-marker",
        });
        marker.bindPopup(function () { return popupContent(event); }, { maxWidth: 320 });
        marker.on("add", function () {
            const path = marker.getElement();
            if (path) path.setAttribute("data-event-id", String(event.id));
        });
        return marker;
    }

    function filterParams() {
        const params = new URLSearchParams();
        for (const [name, value] of new FormData(form).entries()) {
            const text = String(value).trim();
            if (text) params.set(name, text);
        }
        return params;
    }

    function setStatus(text, isError) {
        statusLine.textContent = text;
        statusLine.classList.toggle("error", Boolean(isError));
    }

    async function fetchJson(url) {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        const body = await response.json().catch(function () { return null; });
        if (!response.ok) {
            const detail = body && typeof body.detail === "string" ? body.detail : response.statusText;
            throw new Error(detail || "HTTP " + response.status);
        }
        return body;
    }

    async function loadEvents() {
        const generation = ++loadGeneration;
        const params = filterParams();
        const shown = params.toString();
        history.replaceState(null, "", shown ? "?" + shown : window.location.pathname);
        params.set("limit", String(PAGE_SIZE));
        setStatus("Loading events…");
        const events = [];
        let total = 0;
        let url = config.eventsUrl + "?" + params.toString();
        try {
            for (let page = 0; url && page < MAX_PAGES; page++) {
                const body = await fetchJson(url);
                if (generation !== loadGeneration) return; // a newer search replaced this one
                events.push(...body.items);
                total = body.total;
                url = body.next;
            }
        } catch (error) {
            if (generation === loadGeneration) setStatus("Could not load events: " + error.message, true);
            return;
        }
        draw(events, total);
    }

    function draw(events, total) {
        markers.clearLayers();
        list.replaceChildren();
        let mapped = 0;
        for (const event of events) {
            let marker = null;
            if (event.latitude !== null && event.longitude !== null) {
                marker = markerFor(event);
                markers.addLayer(marker);
                mapped++;
            }
            list.appendChild(listItem(event, marker));
        }
        const shown = events.length < total ? events.length + " of " + total : String(total);
        setStatus(shown + (total === 1 ? " event" : " events") + ", " + mapped + " on the map");
        if (mapped > 0) {
            // wide padding keeps markers clear of the zoom buttons and the attribution
            map.fitBounds(markers.getBounds(), { padding: [60, 60], maxZoom: 10 });
        }
    }

    async function loadOutlines() {
        try {
            const topology = await fetchJson(config.countriesUrl);
            const countries = topojson.feature(topology, topology.objects.countries);
            L.geoJSON(countries, {
                pane: "outlines",
                interactive: false,
                style: {
                    color: "#7a8794",
                    weight: 0.8,
                    fillColor: "#f4f1ea",
                    fillOpacity: config.tileUrl ? 0 : 1, // never hide a configured base layer
                },
            }).addTo(outlines);
        } catch (error) {
            setStatus("Could not load country outlines: " + error.message, true);
        }
    }

    function drawLegend() {
        // beside the list rather than on the map, where it would hide markers
        const legend = document.getElementById("legend");
        const entries = Object.entries(EVENT_COLOURS).concat([[NO_TYPE_LABEL, NO_TYPE_COLOUR]]);
        for (const [label, colour] of entries) {
            const row = element("div");
            const swatch = element("span", "swatch");
            swatch.style.background = colour;
            row.appendChild(swatch);
            row.appendChild(element("span", null, label));
            legend.appendChild(row);
        }
    }

    form.addEventListener("submit", function (submitEvent) {
        submitEvent.preventDefault();
        loadEvents();
    });
    document.getElementById("clear-filters").addEventListener("click", function () {
        // not a reset button: that would restore the filters the page was opened with
        for (const field of form.elements) {
            if (field.name) field.value = "";
        }
        loadEvents();
    });

    drawLegend();
    loadOutlines();
    loadEvents();
})();
