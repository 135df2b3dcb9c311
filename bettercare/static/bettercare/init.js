// Starts NHS.UK frontend's components. The bundle's address (content-hashed by Django's static
// files) comes from this script's data-nhsuk-frontend attribute.
const script = document.querySelector("script[data-nhsuk-frontend]");
const { initAll } = await import(script.dataset.nhsukFrontend);
initAll();
