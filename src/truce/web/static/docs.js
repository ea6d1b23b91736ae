// Starts Swagger UI on /docs from files this server serves: no CDN, no inline script.
"use strict";

(function () {
    const root = document.getElementById("swagger-ui");
    SwaggerUIBundle({
        url: root.dataset.openapiUrl,
        dom_id: "#swagger-ui",
        deepLinking: true,
        validatorUrl: null, // the default posts the schema to an outside validator
    });
})();
