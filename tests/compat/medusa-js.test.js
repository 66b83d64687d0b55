// The real @medusajs/medusa-js client against this server, seeded with data/seed.json.
// Run by run.sh (`make test-compat`), which passes:
//   COMPAT_BASE_URL     http://127.0.0.1:PORT/api
//   COMPAT_ADMIN_TOKEN  an admin API token of the seed's staff user
//   COMPAT_WEB_KEY      the seed's publishable key "Web Shop storefront"
//   COMPAT_B2B_KEY      the seed's publishable key "B2B Portal storefront"
// Tests run in file order and build on each other (a channel created early is used later).
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
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

// One client per role, as a storefront or an admin tool would build it. maxRetries: 0 keeps a
// failure a failure; `retrying` below is the storefront default that sends an Idempotency-Key.
const admin = new Medusa({ baseUrl, maxRetries: 0, apiKey: adminToken }).admin;
const store = new Medusa({ baseUrl, maxRetries: 0 });
const webStore = new Medusa({ baseUrl, maxRetries: 0, publishableApiKey: webKey });
const b2bStore = new Medusa({ baseUrl, maxRetries: 0, publishableApiKey: b2bKey });

// ---- the seed, read from the file the runner loaded -------------------------------------------
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "data", "seed.json")));
const defaultChannelName = seed.sales_channels.find((c) => c.default).name;

/** Titles of the seed's published products in a channel (no channels = the default channel). */
function seedTitles(channelName) {
  return seed.products
    .filter((p) => (p.status ?? "published") === "published")
    .filter((p) => (p.sales_channels ?? [defaultChannelName]).includes(channelName))
    .map((p) => p.title)
    .sort();
}

/** The seed's price of a variant (by SKU) in a currency, in minor units. */
function seedPrice(sku, currency) {
  for (const product of seed.products) {
    for (const variant of product.variants ?? []) {
      if (variant.sku === sku) return variant.prices.find((p) => p.currency_code === currency).amount;
    }
  }
  throw new Error(`no variant ${sku} in the seed`);
}

// ---- helpers ----------------------------------------------------------------------------------

/** The HTTP error a client call rejects with, as {status, data}; fails when it resolves. */
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

const ids = (rows) => rows.map((row) => row.id).sort();
const titles = (rows) => rows.map((row) => row.title).sort();
const names = (rows) => rows.map((row) => row.name).sort();

/** Every product of a store listing, paging with limit/offset through the client. */
async function allStoreProducts(client, query = {}) {
  const rows = [];
  for (let offset = 0; ; ) {
    const page = await client.products.list({ ...query, limit: 5, offset });
    assert.equal(page.offset, offset);
    assert.equal(page.limit, 5);
    rows.push(...page.products);
    offset += page.products.length;
    if (page.products.length === 0 || offset >= page.count) {
      assert.equal(rows.length, page.count);
      return rows;
    }
  }
}

function variantBySku(products, sku) {
  for (const product of products) {
    const variant = product.variants.find((v) => v.sku === sku);
    if (variant) return variant;
  }
  throw new Error(`no variant ${sku} in the listing`);
}

// ---- shared state -----------------------------------------------------------------------------
const channel = {}; // seed channels by name
const region = {}; // seed regions by name
let createdChannel; // made by the admin tests, used by the product and key tests
let createdProduct;
let b2bOrder; // placed by the checkout tests, looked up by the admin order tests
let webOrder;

before(async () => {
  const { sales_channels } = await admin.salesChannels.list({ limit: 100 });
  for (const c of sales_channels) channel[c.name] = c;
  const { regions } = await store.regions.list();
  for (const r of regions) region[r.name] = r;
});

// ================================================================================================
describe("admin: authentication", () => {
  it("sends the apiKey as x-medusa-access-token; a wrong one is a 401", async () => {
    const list = await admin.salesChannels.list();
    assert.equal(list.response.status, 200);
    assert.equal(list.response.config.headers["x-medusa-access-token"], adminToken);

    const stranger = new Medusa({ baseUrl, maxRetries: 0, apiKey: "not-a-token" }).admin;
    assert.deepEqual(await failure(stranger.salesChannels.list()), {
      status: 401,
      data: { type: "unauthorized", message: "Unauthorized" },
    });
    const anonymous = store.admin;
    assert.deepEqual(await failure(anonymous.store.retrieve()), {
      status: 401,
      data: { type: "unauthorized", message: "Unauthorized" },
    });
  });

  it("ignores a publishable key sent along with admin requests", async () => {
    const both = new Medusa({ baseUrl, maxRetries: 0, apiKey: adminToken, publishableApiKey: b2bKey });
    const { sales_channels, count, response } = await both.admin.salesChannels.list();
    assert.equal(response.config.headers["x-publishable-api-key"], b2bKey);
    assert.equal(count, seed.sales_channels.length);
    assert.equal(sales_channels.length, seed.sales_channels.length);
  });
});

describe("admin: store", () => {
  it("admin.store.retrieve (GET /admin/store/) answers the store and its default channel", async () => {
    const { store: shop, response } = await admin.store.retrieve();
    assert.equal(response.status, 200);
    assert.equal(response.config.url, "/admin/store/");
    assert.match(shop.id, /^store_/);
    assert.equal(shop.name, seed.store.name);
    assert.equal(shop.default_currency_code, seed.store.default_currency_code);
    assert.deepEqual(shop.default_currency, {
      code: "usd",
      symbol: "$",
      symbol_native: "$",
      name: "US Dollar",
    });
    assert.deepEqual(shop.currencies.map((c) => c.code).sort(), [...seed.store.currencies].sort());
    assert.equal(shop.default_sales_channel_id, channel[defaultChannelName].id);
    assert.deepEqual(shop.default_sales_channel, channel[defaultChannelName]);
  });
});

describe("admin: sales channels", () => {
  it("list answers the seed's channels, newest first, with count/offset/limit", async () => {
    const list = await admin.salesChannels.list();
    assert.equal(list.count, 4);
    assert.equal(list.offset, 0);
    assert.equal(list.limit, 20);
    assert.deepEqual(names(list.sales_channels), seed.sales_channels.map((c) => c.name).sort());
    // The default channel is made by `migrate`, the others by the seed afterwards.
    assert.deepEqual(
      list.sales_channels.map((c) => c.name),
      ["Outlet", "B2B Portal", "Mobile App", "Web Shop"],
    );
    assert.equal(channel.Outlet.is_disabled, true);
    assert.equal(channel["Web Shop"].is_disabled, false);
    assert.deepEqual(Object.keys(channel["Mobile App"]).sort(), [
      "created_at",
      "deleted_at",
      "description",
      "id",
      "is_disabled",
      "metadata",
      "name",
      "updated_at",
    ]);
  });

  it("list takes q, limit, offset and order (qs-encoded)", async () => {
    const byText = await admin.salesChannels.list({ q: "portal" });
    assert.deepEqual(names(byText.sales_channels), ["B2B Portal"]);
    assert.equal(byText.count, 1);

    const page = await admin.salesChannels.list({ limit: 2, offset: 1, order: "name" });
    assert.equal(page.count, 4);
    assert.equal(page.limit, 2);
    assert.equal(page.offset, 1);
    assert.deepEqual(page.sales_channels.map((c) => c.name), ["Mobile App", "Outlet"]);
  });

  it("retrieve answers one channel; an unknown id is a 404", async () => {
    const { sales_channel } = await admin.salesChannels.retrieve(channel["B2B Portal"].id);
    assert.deepEqual(sales_channel, channel["B2B Portal"]);

    assert.deepEqual(await failure(admin.salesChannels.retrieve("sc_missing")), {
      status: 404,
      data: { type: "not_found", message: "Sales channel with id: sc_missing was not found" },
    });
  });

  it("create and update", async () => {
    const created = await admin.salesChannels.create({
      name: "Marketplace Feed",
      description: "Listings for the marketplace.",
      is_disabled: true,
    });
    assert.equal(created.response.status, 200);
    createdChannel = created.sales_channel;
    assert.match(createdChannel.id, /^sc_[0-9A-Z]{26}$/);
    assert.equal(createdChannel.name, "Marketplace Feed");
    assert.equal(createdChannel.description, "Listings for the marketplace.");
    assert.equal(createdChannel.is_disabled, true);
    assert.equal(createdChannel.deleted_at, null);

    const { sales_channel } = await admin.salesChannels.update(createdChannel.id, {
      name: "Marketplace",
      is_disabled: false,
    });
    assert.equal(sales_channel.id, createdChannel.id);
    assert.equal(sales_channel.name, "Marketplace");
    assert.equal(sales_channel.description, "Listings for the marketplace.");
    assert.equal(sales_channel.is_disabled, false);
    createdChannel = sales_channel;

    const list = await admin.salesChannels.list();
    assert.equal(list.count, 5);
    assert.equal(list.sales_channels[0].id, createdChannel.id);
  });

  it("a bad body is a 400 with the validator's message, and creates nothing", async () => {
    assert.deepEqual(
      await failure(admin.salesChannels.create({ name: "Pop-up Kiosk", colour: "red" })),
      {
        status: 400,
        data: { type: "invalid_data", message: "property colour should not exist" },
      },
    );
    assert.equal((await admin.salesChannels.list({ q: "Pop-up Kiosk" })).count, 0);
  });

  it("refuses to delete or disable the default channel, and leaves it as it was", async () => {
    const defaultId = channel[defaultChannelName].id;
    assert.deepEqual(await failure(admin.salesChannels.delete(defaultId)), {
      status: 400,
      data: { type: "not_allowed", message: "You cannot delete the default sales channel" },
    });
    assert.deepEqual(await failure(admin.salesChannels.update(defaultId, { is_disabled: true })), {
      status: 400,
      data: { type: "not_allowed", message: "You cannot disable the default sales channel" },
    });
    const { sales_channel } = await admin.salesChannels.retrieve(defaultId);
    assert.deepEqual(sales_channel, channel[defaultChannelName]);
  });
});

describe("admin: products", () => {
  it("products.create (POST /admin/products/) with sales_channels puts it in those channels", async () => {
    const created = await admin.products.create({
      title: "Compat Trail Cap",
      status: "published",
      sales_channels: [{ id: createdChannel.id }, { id: channel["Mobile App"].id }],
      options: [{ title: "Size" }],
      variants: [
        {
          title: "One size",
          sku: "COMPAT-CAP",
          inventory_quantity: 10,
          prices: [{ currency_code: "usd", amount: 2200 }],
          options: [{ value: "One size" }],
        },
      ],
    });
    assert.equal(created.response.status, 200);
    assert.equal(created.response.config.url, "/admin/products/");
    createdProduct = created.product;
    assert.match(createdProduct.id, /^prod_/);
    assert.equal(createdProduct.title, "Compat Trail Cap");
    assert.equal(createdProduct.handle, "compat-trail-cap");
    assert.equal(createdProduct.status, "published");
    assert.deepEqual(ids(createdProduct.sales_channels), ids([createdChannel, channel["Mobile App"]]));
    assert.equal(createdProduct.variants.length, 1);
    assert.equal(createdProduct.variants[0].sku, "COMPAT-CAP");
    assert.deepEqual(
      createdProduct.variants[0].prices.map((p) => [p.currency_code, p.amount]),
      [["usd", 2200]],
    );
  });

  it("a product created without sales_channels goes into the default channel", async () => {
    const { product } = await admin.products.create({ title: "Compat Draft Gaiter" });
    assert.equal(product.status, "draft");
    assert.deepEqual(ids(product.sales_channels), [channel[defaultChannelName].id]);
  });

  it("products.list with sales_channel_id (sent as sales_channel_id[0]=...)", async () => {
    const mine = await admin.products.list({ sales_channel_id: [createdChannel.id] });
    assert.ok(
      mine.response.request.path.includes(
        `sales_channel_id%5B0%5D=${createdChannel.id}`,
      ),
      mine.response.request.path,
    );
    assert.equal(mine.count, 1);
    assert.deepEqual(ids(mine.products), [createdProduct.id]);

    const b2b = await admin.products.list({ sales_channel_id: [channel["B2B Portal"].id], limit: 50 });
    assert.deepEqual(titles(b2b.products), seedTitles("B2B Portal"));
    assert.equal(b2b.count, seedTitles("B2B Portal").length);

    const two = await admin.products.list({
      sales_channel_id: [createdChannel.id, channel["B2B Portal"].id],
      limit: 50,
    });
    assert.deepEqual(titles(two.products), [...seedTitles("B2B Portal"), "Compat Trail Cap"].sort());
  });

  it("salesChannels.addProducts / removeProducts (POST and DELETE /products/batch)", async () => {
    const mugs = await admin.products.list({ q: "Enamel Camp Mug" });
    assert.equal(mugs.count, 1);
    const mug = mugs.products[0];

    const added = await admin.salesChannels.addProducts(createdChannel.id, {
      product_ids: [{ id: mug.id }, { id: createdProduct.id }], // the cap is there already
    });
    assert.equal(added.response.status, 200);
    assert.equal(added.sales_channel.id, createdChannel.id);
    let listed = await admin.products.list({ sales_channel_id: [createdChannel.id] });
    assert.deepEqual(ids(listed.products), ids([mug, createdProduct]));

    const removed = await admin.salesChannels.removeProducts(createdChannel.id, {
      product_ids: [{ id: mug.id }],
    });
    assert.equal(removed.response.status, 200);
    assert.equal(removed.sales_channel.id, createdChannel.id);
    listed = await admin.products.list({ sales_channel_id: [createdChannel.id] });
    assert.deepEqual(ids(listed.products), [createdProduct.id]);

    assert.deepEqual(
      await failure(admin.salesChannels.addProducts(createdChannel.id, { product_ids: [{ id: "prod_nope" }] })),
      {
        status: 400,
        data: {
          type: "invalid_data",
          message: "Provided request body contains errors. Please check the data and retry the request",
          errors: ["Products prod_nope do not exist"],
        },
      },
    );
  });
});

describe("admin: publishable API keys", () => {
  let key;

  it("create, addSalesChannelsBatch, listSalesChannels", async () => {
    const created = await admin.publishableApiKeys.create({ title: "Compat storefront" });
    assert.equal(created.response.status, 200);
    key = created.publishable_api_key;
    assert.match(key.id, /^pk_[0-9A-Z]{26}$/);
    assert.equal(key.title, "Compat storefront");
    assert.equal(key.revoked_at, null);
    assert.equal(key.revoked_by, null);

    const batch = await admin.publishableApiKeys.addSalesChannelsBatch(key.id, {
      sales_channel_ids: [{ id: createdChannel.id }],
    });
    assert.equal(batch.response.status, 200);
    assert.equal(batch.publishable_api_key.id, key.id);

    const { sales_channels } = await admin.publishableApiKeys.listSalesChannels(key.id);
    assert.deepEqual(ids(sales_channels), [createdChannel.id]);
    assert.equal(sales_channels[0].name, "Marketplace");
  });

  it("a storefront with the new key sees only its channel's products", async () => {
    const scoped = new Medusa({ baseUrl, maxRetries: 0, publishableApiKey: key.id });
    const { products, count, response } = await scoped.products.list();
    assert.equal(response.config.headers["x-publishable-api-key"], key.id);
    assert.equal(count, 1);
    assert.deepEqual(ids(products), [createdProduct.id]);
  });

  it("revoke; the revoked key is then refused by the store API", async () => {
    const revoked = await admin.publishableApiKeys.revoke(key.id);
    assert.equal(revoked.response.status, 200);
    assert.equal(revoked.publishable_api_key.id, key.id);
    assert.equal(typeof revoked.publishable_api_key.revoked_at, "string");
    assert.equal(typeof revoked.publishable_api_key.revoked_by, "string");

    const scoped = new Medusa({ baseUrl, maxRetries: 0, publishableApiKey: key.id });
    assert.deepEqual(await failure(scoped.products.list()), {
      status: 400,
      data: {
        type: "not_allowed",
        message: "A valid publishable key is required to proceed with the request",
      },
    });
    assert.deepEqual(await failure(admin.publishableApiKeys.revoke(key.id)), {
      status: 400,
      data: { type: "not_allowed", message: "PublishableApiKey has already been revoked." },
    });
  });
});

// ================================================================================================
describe("store: catalogue", () => {
  it("regions.list answers the seed's regions with their countries", async () => {
    const { regions, count } = await store.regions.list();
    assert.equal(count, seed.regions.length);
    assert.deepEqual(names(regions), seed.regions.map((r) => r.name).sort());
    const na = region["North America"];
    assert.match(na.id, /^reg_/);
    assert.equal(na.currency_code, "usd");
    assert.equal(na.tax_rate, 0);
    assert.deepEqual(na.countries.map((c) => c.iso_2).sort(), ["ca", "us"]);
    assert.deepEqual(na.payment_providers.map((p) => p.id), ["manual"]);
  });

  it("products.list with sales_channel_id lists that channel's published products", async () => {
    for (const name of ["Web Shop", "Mobile App", "B2B Portal"]) {
      const products = await allStoreProducts(store, { sales_channel_id: [channel[name].id] });
      const expected = seedTitles(name);
      if (name === "Mobile App") expected.push("Compat Trail Cap");
      assert.deepEqual(titles(products), expected.sort(), name);
    }
    // A draft product is in the default channel but not for sale.
    const web = await allStoreProducts(store, { sales_channel_id: [channel["Web Shop"].id] });
    assert.ok(!titles(web).includes("Solar Lantern (coming soon)"));
  });

  it("products.list with a publishable key lists its channel's products", async () => {
    const web = await allStoreProducts(webStore);
    assert.deepEqual(titles(web), seedTitles("Web Shop"));
    const b2b = await allStoreProducts(b2bStore);
    assert.deepEqual(titles(b2b), seedTitles("B2B Portal"));
    // Prices come as integers in minor units.
    const backpack = variantBySku(b2b, "RL-BP28-MOSS");
    assert.deepEqual(
      backpack.prices.map((p) => [p.currency_code, p.amount]).sort(),
      [["eur", seedPrice("RL-BP28-MOSS", "eur")], ["gbp", seedPrice("RL-BP28-MOSS", "gbp")], ["usd", seedPrice("RL-BP28-MOSS", "usd")]],
    );
    assert.ok(Number.isInteger(backpack.prices[0].amount));
  });

  it("a sales_channel_id outside the key's channels is refused", async () => {
    assert.deepEqual(
      await failure(webStore.products.list({ sales_channel_id: [channel["B2B Portal"].id] })),
      {
        status: 400,
        data: {
          type: "invalid_data",
          message: "Provided request body contains errors. Please check the data and retry the request",
          errors: [
            `Provided sales channel id param: ${channel["B2B Portal"].id} is not associated with the Publishable API Key passed in the header of the request.`,
          ],
        },
      },
    );
  });
});

describe("store: cart and checkout", () => {
  let cart;
  let products; // the Mobile App catalogue
  let b2bProducts;
  const email = "compat-buyer@example.com";

  before(async () => {
    products = await allStoreProducts(store, { sales_channel_id: [channel["Mobile App"].id] });
    b2bProducts = await allStoreProducts(b2bStore);
  });

  it("carts.create with a sales channel", async () => {
    const created = await store.carts.create({
      region_id: region["North America"].id,
      sales_channel_id: channel["Mobile App"].id,
    });
    assert.equal(created.response.status, 200);
    cart = created.cart;
    assert.match(cart.id, /^cart_/);
    assert.equal(cart.sales_channel_id, channel["Mobile App"].id);
    assert.equal(cart.sales_channel.name, "Mobile App");
    assert.equal(cart.region_id, region["North America"].id);
    assert.deepEqual(cart.items, []);
    assert.equal(cart.total, 0);
  });

  it("carts.create: a key's channel, an unknown channel, a disabled channel", async () => {
    const viaKey = await webStore.carts.create({ region_id: region["North America"].id });
    assert.equal(viaKey.cart.sales_channel_id, channel["Web Shop"].id);
    const plain = await store.carts.create({ region_id: region["North America"].id });
    assert.equal(plain.cart.sales_channel_id, channel[defaultChannelName].id);

    assert.deepEqual(await failure(store.carts.create({ sales_channel_id: "sc_nope" })), {
      status: 404,
      data: { type: "not_found", message: "Sales channel with id: sc_nope was not found" },
    });
    assert.deepEqual(await failure(store.carts.create({ sales_channel_id: channel.Outlet.id })), {
      status: 400,
      data: {
        type: "invalid_data",
        message: 'Unable to assign the cart to a disabled Sales Channel "Outlet"',
      },
    });
  });

  it("carts.lineItems.create in the cart's channel prices the item in minor units", async () => {
    const backpack = variantBySku(products, "RL-BP28-MOSS");
    const beanie = variantBySku(products, "RL-WB-CHAR");
    await store.carts.lineItems.create(cart.id, { variant_id: backpack.id, quantity: 2 });
    const { cart: updated } = await store.carts.lineItems.create(cart.id, {
      variant_id: beanie.id,
      quantity: 1,
    });
    const backpackPrice = seedPrice("RL-BP28-MOSS", "usd");
    const beaniePrice = seedPrice("RL-WB-CHAR", "usd");
    const lines = updated.items
      .map((i) => [i.variant_id, i.quantity, i.unit_price, i.subtotal, i.total])
      .sort((a, b) => a[0].localeCompare(b[0]));
    assert.deepEqual(
      lines,
      [
        [backpack.id, 2, backpackPrice, 2 * backpackPrice, 2 * backpackPrice],
        [beanie.id, 1, beaniePrice, beaniePrice, beaniePrice],
      ].sort((a, b) => a[0].localeCompare(b[0])),
    );
    assert.equal(updated.subtotal, 2 * backpackPrice + beaniePrice);
    assert.equal(updated.tax_total, 0);
    assert.equal(updated.total, 2 * backpackPrice + beaniePrice);
    cart = updated;
  });

  it("carts.lineItems.create out of the cart's channel is refused and changes nothing", async () => {
    const bottles = variantBySku(b2bProducts, "RL-BWB50-ONES");
    assert.deepEqual(await failure(store.carts.lineItems.create(cart.id, { variant_id: bottles.id, quantity: 1 })), {
      status: 400,
      data: {
        type: "invalid_data",
        message:
          "The products [Branded Water Bottles (case of 50)] must belong to the sales channel on which the cart has been created.",
      },
    });
    const { cart: again } = await store.carts.retrieve(cart.id);
    assert.deepEqual(ids(again.items), ids(cart.items));
    assert.equal(again.total, cart.total);
  });

  it("carts.update to another channel drops the items that channel lacks", async () => {
    const { cart: moved } = await store.carts.update(cart.id, {
      sales_channel_id: channel["B2B Portal"].id,
      email,
    });
    assert.equal(moved.sales_channel_id, channel["B2B Portal"].id);
    assert.equal(moved.email, email);
    const backpackPrice = seedPrice("RL-BP28-MOSS", "usd");
    assert.deepEqual(
      moved.items.map((i) => [i.title, i.quantity, i.unit_price]),
      [["Ridgeline Trail Backpack 28L", 2, backpackPrice]],
    );
    assert.equal(moved.subtotal, 2 * backpackPrice);
    assert.equal(moved.total, 2 * backpackPrice);

    // Now the B2B product fits.
    const bottles = variantBySku(b2bProducts, "RL-BWB50-ONES");
    const { cart: withBottles } = await store.carts.lineItems.create(cart.id, {
      variant_id: bottles.id,
      quantity: 1,
    });
    assert.equal(withBottles.subtotal, 2 * backpackPrice + seedPrice("RL-BWB50-ONES", "usd"));
    cart = withBottles;
  });

  it("shippingOptions.listCartOptions and carts.addShippingMethod", async () => {
    const { shipping_options } = await store.shippingOptions.listCartOptions(cart.id);
    const expected = seed.shipping_options
      .filter((o) => o.region_id === "region-na" && !o.is_return)
      .map((o) => [o.name, o.amount])
      .sort();
    assert.deepEqual(shipping_options.map((o) => [o.name, o.amount]).sort(), expected);
    const standard = shipping_options.find((o) => o.name === "Standard Shipping");
    assert.ok(Number.isInteger(standard.amount));

    const { cart: shipped } = await store.carts.addShippingMethod(cart.id, { option_id: standard.id });
    assert.deepEqual(
      shipped.shipping_methods.map((m) => [m.shipping_option_id, m.price]),
      [[standard.id, standard.amount]],
    );
    assert.equal(shipped.shipping_total, standard.amount);
    assert.equal(shipped.total, cart.subtotal + standard.amount);
    cart = shipped;
  });

  it("carts.createPaymentSessions and carts.setPaymentSession({provider_id: 'manual'})", async () => {
    const { cart: withSessions } = await store.carts.createPaymentSessions(cart.id);
    assert.deepEqual(
      withSessions.payment_sessions.map((s) => [s.provider_id, s.amount, s.status]),
      [["manual", cart.total, "pending"]],
    );
    // Like Medusa, the region's only provider is selected straight away.
    assert.equal(withSessions.payment_session.provider_id, "manual");

    const { cart: selected } = await store.carts.setPaymentSession(cart.id, { provider_id: "manual" });
    assert.equal(selected.payment_session.provider_id, "manual");
    assert.equal(selected.payment_session.is_selected, true);
    assert.equal(selected.payment_session.amount, cart.total);
    cart = selected;
  });

  it("carts.complete answers {type: 'order', data} carrying the cart's channel", async () => {
    const completed = await store.carts.complete(cart.id);
    assert.equal(completed.response.status, 200);
    assert.equal(completed.type, "order");
    b2bOrder = completed.data;
    assert.match(b2bOrder.id, /^order_/);
    assert.equal(b2bOrder.cart_id, cart.id);
    assert.equal(b2bOrder.sales_channel_id, channel["B2B Portal"].id);
    assert.equal(b2bOrder.email, email);
    assert.equal(b2bOrder.region_id, region["North America"].id);
    assert.equal(b2bOrder.currency_code, "usd");
    assert.equal(b2bOrder.subtotal, cart.subtotal);
    assert.equal(b2bOrder.shipping_total, cart.shipping_total);
    assert.equal(b2bOrder.tax_total, 0);
    assert.equal(b2bOrder.total, cart.total);
    assert.ok(Number.isInteger(b2bOrder.total));
    assert.deepEqual(
      b2bOrder.items.map((i) => [i.title, i.quantity, i.unit_price]).sort(),
      cart.items.map((i) => [i.title, i.quantity, i.unit_price]).sort(),
    );

    // Completing again answers the same order (idempotent), not a second one.
    const again = await store.carts.complete(cart.id);
    assert.equal(again.type, "order");
    assert.equal(again.data.id, b2bOrder.id);
  });

  it("orders.retrieve answers the placed order", async () => {
    const { order } = await store.orders.retrieve(b2bOrder.id);
    assert.equal(order.id, b2bOrder.id);
    assert.equal(order.sales_channel_id, channel["B2B Portal"].id);
    assert.equal(order.total, b2bOrder.total);
    assert.equal(order.email, email);

    assert.deepEqual(await failure(store.orders.retrieve("order_nope")), {
      status: 404,
      data: { type: "not_found", message: "Order with id: order_nope was not found" },
    });
  });

  it("a client with retries sends Idempotency-Key on POSTs, and checkout still works", async () => {
    const retrying = new Medusa({ baseUrl, maxRetries: 2, publishableApiKey: webKey });
    const { cart: webCart, response } = await retrying.carts.create({
      region_id: region["North America"].id,
      email,
    });
    assert.match(response.config.headers["Idempotency-Key"], /^[0-9a-f-]{36}$/);
    assert.equal(webCart.sales_channel_id, channel["Web Shop"].id);
    const poles = variantBySku(await allStoreProducts(webStore), "RL-UTP-110-");
    await retrying.carts.lineItems.create(webCart.id, { variant_id: poles.id, quantity: 1 });
    const { shipping_options } = await retrying.shippingOptions.listCartOptions(webCart.id);
    const express = shipping_options.find((o) => o.name === "Express Shipping");
    await retrying.carts.addShippingMethod(webCart.id, { option_id: express.id });
    await retrying.carts.createPaymentSessions(webCart.id);
    await retrying.carts.setPaymentSession(webCart.id, { provider_id: "manual" });
    const completed = await retrying.carts.complete(webCart.id);
    assert.equal(completed.type, "order");
    webOrder = completed.data;
    assert.equal(webOrder.sales_channel_id, channel["Web Shop"].id);
    assert.equal(webOrder.total, seedPrice("RL-UTP-110-", "usd") + express.amount);
  });
});

describe("admin: orders", () => {
  it("orders.list with sales_channel_id lists that channel's orders only", async () => {
    const b2b = await admin.orders.list({ sales_channel_id: [channel["B2B Portal"].id] });
    assert.equal(b2b.count, 1);
    assert.deepEqual(ids(b2b.orders), [b2bOrder.id]);
    assert.equal(b2b.orders[0].sales_channel_id, channel["B2B Portal"].id);
    // Medusa's default admin listing has the sales_channel relation and no totals.
    assert.deepEqual(b2b.orders[0].sales_channel, channel["B2B Portal"]);
    assert.equal(b2b.orders[0].email, b2bOrder.email);

    const web = await admin.orders.list({ sales_channel_id: [channel["Web Shop"].id] });
    assert.deepEqual(ids(web.orders), [webOrder.id]);

    const both = await admin.orders.list({
      sales_channel_id: [channel["Web Shop"].id, channel["B2B Portal"].id],
    });
    assert.equal(both.count, 2);
    assert.deepEqual(ids(both.orders), ids([b2bOrder, webOrder]));

    const mobile = await admin.orders.list({ sales_channel_id: [channel["Mobile App"].id] });
    assert.equal(mobile.count, 0);
    assert.deepEqual(mobile.orders, []);
  });
});

// ================================================================================================
describe("admin: deleting a channel", () => {
  it("salesChannels.delete soft-deletes; the channel is then not found", async () => {
    const deleted = await admin.salesChannels.delete(createdChannel.id);
    assert.equal(deleted.response.status, 200);
    assert.deepEqual(
      { id: deleted.id, object: deleted.object, deleted: deleted.deleted },
      { id: createdChannel.id, object: "sales-channel", deleted: true },
    );
    assert.deepEqual(await failure(admin.salesChannels.retrieve(createdChannel.id)), {
      status: 404,
      data: {
        type: "not_found",
        message: `Sales channel with id: ${createdChannel.id} was not found`,
      },
    });
    const list = await admin.salesChannels.list();
    assert.equal(list.count, 4);
    // Deleting again is idempotent, as in Medusa.
    const again = await admin.salesChannels.delete(createdChannel.id);
    assert.equal(again.deleted, true);
  });
});
