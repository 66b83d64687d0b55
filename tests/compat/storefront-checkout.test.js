// The Medusa v1 Next.js starter's checkout, replayed with the real @medusajs/medusa-js client.
//
// The calls and arguments of ../../../shared/reference/medusa-v1-storefront-calls.md rows 1-2 and
// 16-28 (regions, cart, line items, country switch, addresses, shipping, payment, discount and
// gift card codes, completion, order), made the way the starter makes them: a client built as
// `new Medusa({ baseUrl, maxRetries: 3 })` (plus `publishableApiKey` for a channel), and on each
// call its custom headers `{ next: { tags }, authorization: "" }`. Each step asserts the fields the
// starter reads, including those it reads unguarded (`cart.gift_cards.length`,
// `cart.discounts.length`, `order.payments[0]`). The flow runs twice: without a key (the store's
// default channel) and with the seed's B2B key (its channel only).
//
// Run by run.sh, which serves a freshly seeded shop and passes COMPAT_BASE_URL and the keys.
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
const b2bKey = env("COMPAT_B2B_KEY");
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "data", "seed.json")));
const defaultChannelName = seed.sales_channels.find((c) => c.default).name;

/** The starter's headers on every call: Next.js cache tags, and an empty bearer when signed out. */
const headers = (...tags) => ({ next: { tags }, authorization: "" });

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

/** Seed titles of the published products of a channel (no channels = the default channel). */
function seedTitles(channelName) {
  return seed.products
    .filter((p) => (p.status ?? "published") === "published")
    .filter((p) => (p.sales_channels ?? [defaultChannelName]).includes(channelName))
    .map((p) => p.title);
}

/** What the starter's cart page and checkout summary read from a cart. */
function assertCartShape(cart) {
  assert.match(cart.id, /^cart_/);
  for (const key of ["items", "shipping_methods", "payment_sessions", "gift_cards", "discounts"]) {
    assert.ok(Array.isArray(cart[key]), `cart.${key} is an array`);
  }
  assert.equal(cart.gift_cards.length, 0);
  assert.equal(cart.discounts.length, 0);
  assert.ok(cart.region && typeof cart.region.currency_code === "string");
  for (const key of [
    "subtotal",
    "discount_total",
    "shipping_total",
    "tax_total",
    "gift_card_total",
    "gift_card_tax_total",
    "total",
  ]) {
    assert.ok(Number.isInteger(cart[key]), `cart.${key} is an integer`);
  }
  assert.equal(cart.gift_card_total, 0);
  assert.equal(cart.total, cart.subtotal + cart.shipping_total + cart.tax_total);
  for (const item of cart.items) {
    assert.equal(typeof item.variant.product_id, "string"); // the starter links each line to its product
    assert.ok(Number.isInteger(item.unit_price) && Number.isInteger(item.total));
  }
}

/** What the region selects read (rows 1-2): ids, currencies, countries with display names. */
function assertRegionShape(region) {
  assert.match(region.id, /^reg_/);
  assert.equal(typeof region.currency_code, "string");
  assert.ok(region.countries.length > 0);
  for (const country of region.countries) {
    assert.match(country.iso_2, /^[a-z]{2}$/);
    assert.match(country.iso_3, /^[a-z]{3}$/);
    assert.ok(Number.isInteger(country.num_code));
    assert.equal(typeof country.display_name, "string");
    assert.ok(country.display_name.length > 0);
    assert.equal(country.name, country.display_name.toUpperCase());
    assert.equal(country.region_id, region.id);
  }
}

// ---- regions: rows 1-2, and the middleware's raw fetch ---------------------------------------

describe("starter: regions", () => {
  const client = new Medusa({ baseUrl, maxRetries: 3 });

  it("regions.list and the middleware's raw fetch answer countries with display names", async () => {
    const { regions } = await client.regions.list(headers("regions"));
    assert.deepEqual(regions.map((r) => r.name).sort(), seed.regions.map((r) => r.name).sort());
    regions.forEach(assertRegionShape);
    const europe = regions.find((r) => r.name === "Europe");
    const germany = europe.countries.find((c) => c.iso_2 === "de");
    assert.deepEqual(
      { ...germany, region_id: undefined },
      {
        id: 276,
        iso_2: "de",
        iso_3: "deu",
        num_code: 276,
        name: "GERMANY",
        display_name: "Germany",
        region_id: undefined,
      },
    );
    const uk = regions.find((r) => r.name === "United Kingdom");
    assert.deepEqual(uk.countries.map((c) => c.display_name), ["United Kingdom"]);

    // src/middleware.ts: a plain fetch, no client, reads regions[].countries[].iso_2
    const raw = await fetch(`${baseUrl}/store/regions`);
    assert.equal(raw.status, 200);
    const body = await raw.json();
    assert.deepEqual(
      body.regions.flatMap((r) => r.countries.map((c) => c.iso_2)).sort(),
      seed.regions.flatMap((r) => r.countries).sort(),
    );
  });

  it("regions.retrieve answers one region; an unknown one is a JSON 404", async () => {
    const { regions } = await client.regions.list();
    const { region } = await client.regions.retrieve(regions[0].id, headers("regions"));
    assertRegionShape(region);
    assert.deepEqual(region, regions[0]);
    const missing = await failure(client.regions.retrieve("reg_nope"));
    assert.equal(missing.status, 404);
    assert.equal(missing.data.type, "not_found");
  });
});

// ---- checkout: rows 16-28, without a key and with the B2B key ---------------------------------

const flows = [
  {
    label: "without a publishable key (the default channel)",
    client: new Medusa({ baseUrl, maxRetries: 3 }),
    channel: defaultChannelName,
  },
  {
    label: "with the B2B publishable key (its channel only)",
    client: new Medusa({ baseUrl, maxRetries: 3, publishableApiKey: b2bKey }),
    channel: "B2B Portal",
  },
];

for (const flow of flows) {
  describe(`starter checkout ${flow.label}`, () => {
    const { client } = flow;
    const email = `starter-${flow.channel.replace(/\W+/g, "-").toLowerCase()}@example.com`;
    let na; // North America, where the cart starts
    let europe; // where the country switch moves it
    let cartId;
    let cart;
    let order;

    before(async () => {
      const { regions } = await client.regions.list(headers("regions"));
      na = regions.find((r) => r.name === "North America");
      europe = regions.find((r) => r.name === "Europe");
    });

    /** The first two products of the channel that have a price in the region, as the store page lists them. */
    async function pricedVariants(region) {
      const { products } = await client.products.list(
        { region_id: region.id, limit: 100, offset: 0 },
        headers("products"),
      );
      assert.deepEqual(products.map((p) => p.title).sort(), seedTitles(flow.channel).sort());
      const variants = products
        .flatMap((p) => p.variants.map((v) => ({ ...v, product_id: p.id })))
        .filter((v) => v.calculated_price !== null && v.inventory_quantity > 2);
      assert.ok(variants.length >= 2, "two priced variants to buy");
      return variants.slice(0, 2);
    }

    it("row 16: carts.create({region_id}) answers the cart id, in the flow's channel", async () => {
      const created = await client.carts.create({ region_id: na.id }, headers());
      assert.equal(created.response.status, 200);
      cartId = created.cart.id;
      assertCartShape(created.cart);
      assert.equal(created.cart.sales_channel.name, flow.channel);
      assert.equal(created.cart.region_id, na.id);
    });

    it("rows 17-18: line items are added, changed and removed; the cart reads back whole", async () => {
      const [first, second] = await pricedVariants(na);
      await client.carts.lineItems.create(cartId, { variant_id: first.id, quantity: 1 }, headers());
      const added = await client.carts.lineItems.create(
        cartId,
        { variant_id: second.id, quantity: 1 },
        headers(),
      );
      assertCartShape(added.cart);
      const firstLine = added.cart.items.find((i) => i.variant_id === first.id);
      const secondLine = added.cart.items.find((i) => i.variant_id === second.id);
      // The price the product page showed is the price the cart charges.
      assert.equal(firstLine.unit_price, first.calculated_price);
      assert.equal(firstLine.variant.product_id, first.product_id);

      const updated = await client.carts.lineItems.update(
        cartId,
        firstLine.id,
        { quantity: 2 },
        headers(),
      );
      assert.equal(updated.cart.items.find((i) => i.id === firstLine.id).quantity, 2);
      const removed = await client.carts.lineItems.delete(cartId, secondLine.id, headers());
      assert.deepEqual(
        removed.cart.items.map((i) => [i.variant_id, i.quantity]),
        [[first.id, 2]],
      );

      const { cart: read } = await client.carts.retrieve(cartId, headers("cart"));
      assertCartShape(read);
      assert.equal(read.subtotal, 2 * first.calculated_price);
      assert.equal(read.payment_session, null);
      cart = read;
    });

    it("row 19: carts.update({region_id}) (country switch) reprices the cart for the region", async () => {
      const { cart: moved } = await client.carts.update(cartId, { region_id: europe.id }, headers());
      assertCartShape(moved);
      assert.equal(moved.region.id, europe.id);
      assert.equal(moved.region.currency_code, "eur");
      // The store read with the cart's id shows the price the cart now charges (cart_id).
      const line = moved.items[0];
      const { product } = await client.products.retrieve(
        `${line.variant.product_id}?cart_id=${cartId}`,
        headers("products"),
      );
      const variant = product.variants.find((v) => v.id === line.variant_id);
      assert.equal(line.unit_price, variant.calculated_price);
      assert.equal(variant.original_price, variant.calculated_price);
      assert.equal(variant.calculated_price_type, "default");
      assert.ok(moved.tax_total > 0, "Europe taxes the items"); // the seed's 21%
      cart = moved;
    });

    it("row 20: carts.update({shipping_address, billing_address, email}) as the address form sends it", async () => {
      const address = {
        first_name: "Ada",
        last_name: "Lovelace",
        address_1: "Unter den Linden 1",
        address_2: "",
        company: "",
        postal_code: "10117",
        city: "Berlin",
        country_code: "de",
        province: "",
        phone: "",
      };
      const { cart: addressed } = await client.carts.update(
        cartId,
        { shipping_address: address, billing_address: address, email },
        headers(),
      );
      assertCartShape(addressed);
      assert.equal(addressed.email, email);
      assert.equal(addressed.shipping_address.country_code, "de");
      assert.equal(addressed.billing_address.city, "Berlin");
      cart = addressed;
    });

    it("rows 21-23: payment sessions on each render, the cart's shipping options, the method", async () => {
      const first = await client.carts.createPaymentSessions(cartId, headers());
      assert.deepEqual(first.cart.payment_sessions.map((s) => s.provider_id), ["manual"]);

      const { shipping_options } = await client.shippingOptions.listCartOptions(cartId, headers());
      const expected = seed.shipping_options
        .filter((o) => o.region_id === "region-eu" && !o.is_return)
        .map((o) => [o.name, o.amount])
        .sort();
      assert.deepEqual(shipping_options.map((o) => [o.name, o.amount]).sort(), expected);
      const standard = shipping_options.find((o) => o.name === "Standard Shipping");
      assert.match(standard.id, /^so_/);

      const { cart: shipped } = await client.carts.addShippingMethod(
        cartId,
        { option_id: standard.id },
        headers(),
      );
      assertCartShape(shipped);
      assert.deepEqual(
        shipped.shipping_methods.map((m) => [m.shipping_option_id, m.shipping_option.name, m.price]),
        [[standard.id, "Standard Shipping", standard.amount]],
      );
      assert.equal(shipped.shipping_total, standard.amount);
      cart = shipped;

      // The list form other v1 storefronts use answers the same outbound options for the region.
      const listed = await client.shippingOptions.list({ region_id: europe.id, is_return: "false" });
      assert.deepEqual(listed.shipping_options.map((o) => [o.name, o.amount]).sort(), expected);
    });

    it("row 24: carts.setPaymentSession({provider_id: 'manual'}) after the page made the sessions again", async () => {
      await client.carts.createPaymentSessions(cartId, headers());
      const { cart: paying } = await client.carts.setPaymentSession(
        cartId,
        { provider_id: "manual" },
        headers(),
      );
      assertCartShape(paying);
      assert.equal(paying.payment_session.provider_id, "manual");
      assert.equal(paying.payment_session.is_selected, true);
      assert.equal(paying.payment_session.amount, paying.total);
      cart = paying;
    });

    it("rows 25-26: unknown discount and gift card codes are 404s the starter shows; nothing changes", async () => {
      assert.deepEqual(
        await failure(client.carts.update(cartId, { discounts: [{ code: "SUMMER10" }] }, headers())),
        { status: 404, data: { type: "not_found", message: "Discount with code SUMMER10 was not found" } },
      );
      assert.deepEqual(
        await failure(client.carts.update(cartId, { gift_cards: [{ code: "GIFT-0000" }] }, headers())),
        { status: 404, data: { type: "not_found", message: "Gift card with code GIFT-0000 was not found" } },
      );
      const removed = await client.carts.deleteDiscount(cartId, "SUMMER10", headers());
      assert.equal(removed.response.status, 200);
      assertCartShape(removed.cart);

      const { cart: after } = await client.carts.retrieve(cartId, headers("cart"));
      assert.deepEqual(
        [after.total, after.discounts, after.gift_cards, after.payment_session.provider_id],
        [cart.total, [], [], "manual"],
      );
    });

    it("row 27: carts.complete answers {type: 'order', data} with the shipping country", async () => {
      const completed = await client.carts.complete(cartId, headers());
      assert.equal(completed.type, "order");
      assert.match(completed.data.id, /^order_/);
      assert.equal(completed.data.shipping_address.country_code, "de");
      assert.equal(completed.data.total, cart.total);
      order = completed.data;
    });

    it("row 28: orders.retrieve answers what the confirmation page reads, payments[0] included", async () => {
      const { order: confirmed } = await client.orders.retrieve(order.id, headers("order"));
      assert.ok(Number.isInteger(confirmed.display_id));
      assert.deepEqual(
        [confirmed.status, confirmed.payment_status, confirmed.fulfillment_status],
        ["pending", "awaiting", "not_fulfilled"],
      );
      assert.equal(confirmed.region.id, europe.id);
      assert.equal(confirmed.sales_channel_id, cart.sales_channel_id);
      assert.deepEqual(
        confirmed.items.map((i) => [i.variant_id, i.quantity, i.unit_price]),
        cart.items.map((i) => [i.variant_id, i.quantity, i.unit_price]),
      );
      assert.deepEqual(
        confirmed.shipping_methods.map((m) => m.shipping_option.name),
        ["Standard Shipping"],
      );
      const payment = confirmed.payments[0];
      assert.match(payment.id, /^pay_/);
      assert.deepEqual(
        [payment.provider_id, payment.amount, payment.currency_code, payment.order_id],
        ["manual", confirmed.total, "eur", confirmed.id],
      );
      assert.deepEqual(payment.data, { status: "authorized" });
      assert.equal(payment.captured_at, null);
      assert.deepEqual([confirmed.gift_cards, confirmed.discounts], [[], []]);
      for (const key of [
        "subtotal",
        "shipping_total",
        "tax_total",
        "discount_total",
        "gift_card_total",
        "total",
      ]) {
        assert.ok(Number.isInteger(confirmed[key]), `order.${key} is an integer`);
      }
      assert.equal(confirmed.gift_card_total, 0);
      assert.equal(confirmed.total, confirmed.subtotal + confirmed.shipping_total + confirmed.tax_total);
    });
  });
}
