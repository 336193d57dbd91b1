// Goldcrest's own initializer: the webjar's loads an example document from the internet.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    // Relative to the page, so /openapi.json beside /docs, under whichever prefix the page was reached.
    url: "openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // No badge from validator.swagger.io, no spec URL taken from the page's query string.
    validatorUrl: null,
    queryConfigEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
