// The Medusa v1 Next.js starter's account calls (../shared reference, rows 29-36), replayed with
// the real @medusajs/medusa-js against this server, seeded with data/seed.json. Run by run.sh:
//   tests/compat/run.sh storefront-account.test.js
// Like the starter, every call runs server-side (Node) and sends the custom headers
// `{next: {tags}, authorization: "Bearer <jwt>" | ""}`: medusa-js keeps no token on Node.
// Tests run in file order and build on each other (the customer registered first is used later).
"use strict";

const assert = require("node:assert/strict");
const { describe, it, before } = require("node:test");
const Medusa = require("@medusajs/medusa-js").default;

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through tests/compat/run.sh`);
  return value;
}

const baseUrl = env("COMPAT_BASE_URL");
const adminToken = env("COMPAT_ADMIN_TOKEN");
const webKey = env("COMPAT_WEB_KEY");
const b2bKey = env("COMPAT_B2B_KEY");

// The starter's client has no publishable key by default (the default channel, Web Shop);
// `publishableApiKey` in its config scopes it to a key's channels (the B2B portal here).
const store = new Medusa({ baseUrl, maxRetries: 0 });
const webStore = new Medusa({ baseUrl, maxRetries: 0, publishableApiKey: webKey });
const b2bStore = new Medusa({ baseUrl, maxRetries: 0, publishableApiKey: b2bKey });
const admin = new Medusa({ baseUrl, maxRetries: 0, apiKey: adminToken }).admin;

const signedOut = { next: { tags: ["customer"] }, authorization: "" };
const bearer = (token) => ({ next: { tags: ["customer"] }, authorization: `Bearer ${token}` });

async function failure(promise) {
  let result;
  try {
    result = await promise;
  } catch (error) {
    assert.ok(error.response, `expected an HTTP error response, got ${error}`);
    return { status: error.response.status, data: error.response.data };
  }
  assert.fail(`expected the request to fail, it answered ${result.response.status}`);
}

async function variantBySku(client, sku) {
  for (let offset = 0; ; ) {
    const page = await client.products.list({ limit: 50, offset });
    for (const product of page.products) {
      const variant = product.variants.find((v) => v.sku === sku);
      if (variant) return variant;
    }
    offset += page.products.length;
    if (page.products.length === 0 || offset >= page.count) throw new Error(`no ${sku} here`);
  }
}

const ADDRESS = {
  first_name: "Ada",
  last_name: "Lovelace",
  address_1: "1 Main St",
  city: "Springfield",
  country_code: "us",
  postal_code: "12345",
};

const suffix = Date.now().toString(36);
const ada = { email: `ada.${suffix}@example.com`, password: "s3cret-Pass-1" };
let region;
let adaId;
let token;

before(async () => {
  const { regions } = await store.regions.list(signedOut);
  region = regions.find((r) => r.name === "North America");
});

/** The starter's checkout: cart, items, address, shipping, payment, complete — all signed in. */
async function checkout(client, headers, sku) {
  const { cart } = await client.carts.create({ region_id: region.id }, headers);
  const variant = await variantBySku(client, sku);
  await client.carts.lineItems.create(cart.id, { variant_id: variant.id, quantity: 1 }, headers);
  const { cart: addressed } = await client.carts.update(
    cart.id,
    { shipping_address: ADDRESS, billing_address: ADDRESS, email: "ignored@example.com" },
    headers,
  );
  const { shipping_options } = await client.shippingOptions.listCartOptions(cart.id, headers);
  const standard = shipping_options.find((o) => o.name === "Standard Shipping");
  await client.carts.addShippingMethod(cart.id, { option_id: standard.id }, headers);
  await client.carts.createPaymentSessions(cart.id, headers);
  await client.carts.setPaymentSession(cart.id, { provider_id: "manual" }, headers);
  const completed = await client.carts.complete(cart.id, headers);
  assert.equal(completed.type, "order");
  return { cart: addressed, order: completed.data };
}

// ================================================================================================
describe("storefront: register and sign in", () => {
  it("customers.create registers an account (row 29)", async () => {
    const { customer, response } = await store.customers.create(
      { ...ada, first_name: "Ada", last_name: "Lovelace", phone: "+1 555 0100" },
      signedOut,
    );
    assert.equal(response.status, 200);
    assert.match(customer.id, /^cus_/);
    assert.equal(customer.email, ada.email);
    assert.equal(customer.has_account, true);
    assert.deepEqual(customer.shipping_addresses, []);
    assert.equal(customer.billing_address, null);
    assert.ok(!("password" in customer) && !("password_hash" in customer));
    adaId = customer.id;

    assert.deepEqual(await failure(store.customers.create({ ...ada, first_name: "A", last_name: "L" })), {
      status: 422,
      data: {
        type: "duplicate_error",
        code: "invalid_request_error",
        message: "A customer with the given email already has an account. Log in instead",
      },
    });
  });

  it("auth.getToken answers a bearer token (row 30); wrong passwords are a 401", async () => {
    const answer = await store.auth.getToken(ada, signedOut);
    assert.equal(typeof answer.access_token, "string");
    token = answer.access_token;
    assert.deepEqual(await failure(store.auth.getToken({ ...ada, password: "wrong" })), {
      status: 401,
      data: { type: "unauthorized", message: "Unauthorized" },
    });
  });

  it("customers.retrieve with the bearer token, and signed out a 401 (row 33)", async () => {
    const { customer } = await store.customers.retrieve(bearer(token));
    assert.equal(customer.id, adaId);
    assert.deepEqual(customer.shipping_addresses, []);
    assert.deepEqual(await failure(store.customers.retrieve(signedOut)), {
      status: 401,
      data: { type: "unauthorized", message: "Unauthorized" },
    });
  });

  it("auth.authenticate checks a password (row 31) and auth.getSession answers (row 32)", async () => {
    const { customer } = await store.auth.authenticate(ada, bearer(token));
    assert.equal(customer.id, adaId);
    const session = await store.auth.getSession(bearer(token));
    assert.equal(session.customer.id, adaId);
    assert.equal((await failure(store.auth.authenticate({ ...ada, password: "nope" }))).status, 401);
    assert.deepEqual(await store.auth.exists(ada.email).then(({ exists }) => exists), true);
    assert.deepEqual(await store.auth.exists(`nobody.${suffix}@example.com`).then((r) => r.exists), false);
  });
});

describe("storefront: profile and addresses", () => {
  it("customers.update changes the profile and billing address (row 34)", async () => {
    const { customer } = await store.customers.update(
      { first_name: "Augusta", phone: "+1 555 0199", billing_address: ADDRESS },
      bearer(token),
    );
    assert.equal(customer.first_name, "Augusta");
    assert.equal(customer.phone, "+1 555 0199");
    assert.equal(customer.billing_address.city, "Springfield");
    assert.equal(customer.billing_address_id, customer.billing_address.id);
  });

  it("customers.addresses add, update and delete (row 35)", async () => {
    const added = await store.customers.addresses.addAddress({ address: ADDRESS }, bearer(token));
    const second = await store.customers.addresses.addAddress(
      { address: { ...ADDRESS, address_1: "2 Side St" } },
      bearer(token),
    );
    assert.equal(added.customer.shipping_addresses.length, 1);
    assert.equal(second.customer.shipping_addresses.length, 2);
    const [first] = second.customer.shipping_addresses;
    assert.equal(first.customer_id, adaId);

    const { customer: updated } = await store.customers.addresses.updateAddress(
      first.id,
      { city: "Shelbyville" },
      bearer(token),
    );
    assert.equal(updated.shipping_addresses.find((a) => a.id === first.id).city, "Shelbyville");

    const { customer: trimmed } = await store.customers.addresses.deleteAddress(first.id, bearer(token));
    assert.deepEqual(
      trimmed.shipping_addresses.map((a) => a.address_1),
      ["2 Side St"],
    );
  });

  it("another customer can neither see nor change these addresses", async () => {
    const bob = { email: `bob.${suffix}@example.com`, password: "bobs-Pass-1" };
    await store.customers.create({ ...bob, first_name: "Bob", last_name: "B" });
    const bobToken = (await store.auth.getToken(bob)).access_token;
    const { customer: mine } = await store.customers.retrieve(bearer(token));
    const [address] = mine.shipping_addresses;
    const { customer: bobs } = await store.customers.retrieve(bearer(bobToken));
    assert.deepEqual(bobs.shipping_addresses, []);
    assert.deepEqual(
      await failure(store.customers.addresses.updateAddress(address.id, { city: "X" }, bearer(bobToken))),
      { status: 404, data: { type: "not_found", message: "Could not find address for customer" } },
    );
    const { customer: still } = await store.customers.retrieve(bearer(token));
    assert.deepEqual(still.shipping_addresses, mine.shipping_addresses);
  });
});

describe("storefront: checkout signed in, order history per channel", () => {
  let webOrder;
  let b2bOrder;

  it("a signed-in cart carries the customer and their email", async () => {
    ({ order: webOrder } = await checkout(store, bearer(token), "RL-WB-CHAR"));
    assert.equal(webOrder.customer_id, adaId);
    assert.equal(webOrder.email, ada.email);
    ({ order: b2bOrder } = await checkout(b2bStore, bearer(token), "RL-BWB50-ONES"));
    assert.equal(b2bOrder.customer_id, adaId);
    const { sales_channels } = await admin.salesChannels.list({ limit: 100 });
    const byName = Object.fromEntries(sales_channels.map((c) => [c.name, c.id]));
    assert.equal(webOrder.sales_channel_id, byName["Web Shop"]);
    assert.equal(b2bOrder.sales_channel_id, byName["B2B Portal"]);
  });

  it("customers.listOrders shows the storefront's own channel's orders only (row 36)", async () => {
    const plain = await store.customers.listOrders({ limit: 10, offset: 0 }, bearer(token));
    assert.deepEqual(plain.orders.map((o) => o.id), [webOrder.id]);
    assert.equal(plain.count, 1);
    assert.equal(plain.limit, 10);
    assert.equal(plain.offset, 0);
    assert.equal(plain.orders[0].items.length, 1);

    const web = await webStore.customers.listOrders({ limit: 10, offset: 0 }, bearer(token));
    assert.deepEqual(web.orders.map((o) => o.id), [webOrder.id]);

    const b2b = await b2bStore.customers.listOrders({ limit: 10, offset: 0 }, bearer(token));
    assert.deepEqual(b2b.orders.map((o) => o.id), [b2bOrder.id]);
    assert.equal(b2b.count, 1);

    assert.equal((await failure(store.customers.listOrders({ limit: 10, offset: 0 }, signedOut))).status, 401);
  });

  it("orders.retrieve of the account's order answers only to the account", async () => {
    const { order } = await store.orders.retrieve(webOrder.id, bearer(token));
    assert.equal(order.id, webOrder.id);
    assert.equal((await failure(store.orders.retrieve(webOrder.id, signedOut))).status, 404);
  });

  it("the admin sees the customer with both orders", async () => {
    const { customers } = await admin.customers.list({ q: ada.email, expand: "orders" });
    assert.deepEqual(customers.map((c) => c.id), [adaId]);
    assert.deepEqual(customers[0].orders.map((o) => o.id).sort(), [webOrder.id, b2bOrder.id].sort());
    const { customer } = await admin.customers.retrieve(adaId);
    assert.equal(customer.first_name, "Augusta");
    const { orders } = await admin.orders.list({ expand: "customer", limit: 50 });
    assert.equal(orders.find((o) => o.id === b2bOrder.id).customer.id, adaId);
  });
});

describe("storefront: password token and sign-out", () => {
  it("customers.generatePasswordToken answers 204 whether or not the email exists", async () => {
    const known = await store.customers.generatePasswordToken({ email: ada.email });
    const unknown = await store.customers.generatePasswordToken({ email: `no.${suffix}@example.com` });
    assert.equal(known.response.status, 204);
    assert.equal(unknown.response.status, 204);
  });

  it("auth.deleteSession answers 200", async () => {
    const { response } = await store.auth.deleteSession(bearer(token));
    assert.equal(response.status, 200);
  });
});
