// The catalogue calls of the Medusa v1 Next.js starter (nextjs-starter-medusa, branch v1:
// src/lib/data/index.ts), replayed with the real @medusajs/medusa-js against this server seeded
// with data/seed.json, with the arguments the starter passes, without a publishable key (what the
// starter does by default: the store's default channel) and with the seed's keys. Each test
// asserts the fields the starter reads. Run by run.sh: `tests/compat/run.sh storefront-catalog.test.js`.
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
const origin = new URL(baseUrl).origin;
// The starter's client: `new Medusa({ baseUrl, maxRetries: 3 })`, plus a key when configured.
const store = new Medusa({ baseUrl, maxRetries: 3 });
const webStore = new Medusa({ baseUrl, maxRetries: 3, publishableApiKey: env("COMPAT_WEB_KEY") });
const b2bStore = new Medusa({ baseUrl, maxRetries: 3, publishableApiKey: env("COMPAT_B2B_KEY") });
// The starter sends these custom headers with every call (server components); they must be harmless.
const starterHeaders = { next: JSON.stringify({ tags: ["products"] }), authorization: "" };

// ---- the seed -----------------------------------------------------------------------------------
const seed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "data", "seed.json")));
const defaultChannel = seed.sales_channels.find((c) => c.default).name;
const published = seed.products.filter((p) => (p.status ?? "published") === "published");
const inChannel = (p, name) => (p.sales_channels ?? [defaultChannel]).includes(name);

/** Seed categories flattened: handle -> {placeholder id, parent handle, visible in a store}. */
const seedCategories = {};
(function walk(items, parent) {
  for (const c of items ?? []) {
    const visible = (c.is_active ?? false) && !(c.is_internal ?? false);
    seedCategories[c.handle] = { id: c.id, parent, visible };
    walk(c.category_children, c.handle);
  }
})(seed.categories, null);
const visibleHandles = Object.keys(seedCategories)
  .filter((h) => seedCategories[h].visible)
  .sort();

/** Titles of the published products of a channel in a seed category (by handle). */
function titlesInCategory(handle, channelName) {
  const placeholder = seedCategories[handle].id;
  return published
    .filter((p) => inChannel(p, channelName))
    .filter((p) => (p.categories ?? []).some((c) => c.id === placeholder))
    .map((p) => p.title)
    .sort();
}

/** Titles of the published products of a channel in a seed collection (by placeholder id). */
function titlesInCollection(placeholder, channelName) {
  return published
    .filter((p) => inChannel(p, channelName) && p.collection_id === placeholder)
    .map((p) => p.title)
    .sort();
}

const titles = (rows) => rows.map((row) => row.title).sort();
const handles = (rows) => rows.map((row) => row.handle).sort();

/** What the starter reads of a product card and page (rows 9-15 of the reference). */
function assertStarterProduct(product, { priced }) {
  for (const key of ["id", "handle", "title", "thumbnail", "description", "collection_id"]) {
    assert.ok(key in product, `product.${key}`);
  }
  assert.match(product.thumbnail, new RegExp(`^${origin}/media/products/img_[0-9a-z]+\\.png$`));
  assert.ok(Array.isArray(product.images) && product.images.length >= 1, "product.images");
  for (const image of product.images) {
    assert.deepEqual(Object.keys(image).sort(), [
      "created_at",
      "deleted_at",
      "id",
      "metadata",
      "updated_at",
      "url",
    ]);
    assert.match(image.id, /^img_/);
    assert.match(image.url, new RegExp(`^${origin}/media/`));
  }
  assert.equal(product.thumbnail, product.images[0].url);
  assert.ok(Array.isArray(product.tags), "product.tags");
  for (const tag of product.tags) assert.match(tag.id, /^ptag_/);
  assert.match(product.type.id, /^ptyp_/);
  assert.equal(product.type_id, product.type.id);
  for (const key of ["weight", "length", "height", "width", "material", "origin_country"]) {
    assert.ok(key in product, `product.${key}`);
  }
  assert.ok(Array.isArray(product.options));
  for (const option of product.options) assert.ok(Array.isArray(option.values));
  for (const variant of product.variants) {
    for (const key of ["inventory_quantity", "manage_inventory", "allow_backorder"]) {
      assert.ok(key in variant, `variant.${key}`);
    }
    for (const value of variant.options) assert.ok(value.option_id && "value" in value);
    if (priced) {
      assert.equal(typeof variant.calculated_price, "number", `${product.handle} price`);
      assert.equal(variant.original_price, variant.calculated_price);
    }
  }
}

// ---- shared state ---------------------------------------------------------------------------------
let region; // the starter prices every list with a region
const collectionByHandle = {};
const categoryByHandle = {};

before(async () => {
  const { regions } = await store.regions.list();
  region = regions.find((r) => r.currency_code === "usd");
  assert.ok(region, "a USD region in the seed");
});

// ================================================================================================
describe("collections (reference rows 3-5)", () => {
  it("list({limit: 3 | 6 | 100, offset: 0}): id, handle, title and count, for the home page and footer", async () => {
    const { collections, count, limit, offset } = await store.collections.list(
      { limit: 100, offset: 0 },
      starterHeaders,
    );
    assert.equal(count, seed.product_collections.length);
    assert.equal(limit, 100);
    assert.equal(offset, 0);
    assert.deepEqual(handles(collections), seed.product_collections.map((c) => c.handle).sort());
    for (const c of collections) {
      assert.match(c.id, /^pcol_/);
      assert.equal(typeof c.title, "string");
      collectionByHandle[c.handle] = c;
    }
    for (const size of [3, 6]) {
      const page = await store.collections.list({ limit: size, offset: 0 }, starterHeaders);
      assert.equal(page.collections.length, Math.min(size, seed.product_collections.length));
      assert.equal(page.count, seed.product_collections.length);
      assert.equal(page.limit, size);
    }
  });

  it("list({handle: [h]}) (sent as handle[0]=h) finds the collection page's collection", async () => {
    const { collections, response } = await store.collections.list({ handle: ["camp-kitchen"] });
    assert.match(response.config.url, /handle%5B0%5D=camp-kitchen|handle\[0\]=camp-kitchen/);
    assert.equal(collections.length, 1);
    assert.equal(collections[0].title, "Camp Kitchen");
  });

  it("retrieve(id); an unknown id is Medusa's 404", async () => {
    const trail = collectionByHandle["trail-essentials"];
    const { collection } = await store.collections.retrieve(trail.id);
    assert.deepEqual(collection, trail);
    await assert.rejects(store.collections.retrieve("pcol_unknown"), (error) => {
      assert.equal(error.response.status, 404);
      assert.equal(error.response.data.type, "not_found");
      return true;
    });
  });

  it("publishable keys do not change the collections (they scope their products)", async () => {
    const plain = await store.collections.list({ limit: 100 });
    const b2b = await b2bStore.collections.list({ limit: 100 });
    assert.deepEqual(handles(b2b.collections), handles(plain.collections));
  });
});

// ================================================================================================
describe("product categories (reference rows 6-8)", () => {
  it("list({limit: 6, offset: 0}) for the footer: id, handle, name, parent_category, category_children", async () => {
    const { product_categories, count } = await store.productCategories.list(
      { limit: 6, offset: 0 },
      starterHeaders,
    );
    assert.equal(count, visibleHandles.length);
    assert.equal(product_categories.length, Math.min(6, visibleHandles.length));
    for (const c of product_categories) {
      assert.match(c.id, /^pcat_/);
      assert.equal(typeof c.name, "string");
      assert.ok("parent_category" in c);
      assert.ok(Array.isArray(c.category_children));
      assert.ok(!("is_internal" in c) && !("mpath" in c), "store categories hide their flags");
    }
  });

  it("list({expand: 'category_children'}) for next build's static params: only visible categories", async () => {
    const { product_categories } = await store.productCategories.list({
      expand: "category_children",
      limit: 100,
    });
    assert.deepEqual(handles(product_categories), visibleHandles);
    for (const c of product_categories) {
      categoryByHandle[c.handle] = c;
      assert.ok(!("parent_category" in c), "only the expanded relation");
      const expected = Object.keys(seedCategories)
        .filter((h) => seedCategories[h].parent === c.handle && seedCategories[h].visible)
        .sort();
      assert.deepEqual(handles(c.category_children), expected);
    }
    // the starter joins parent/child handles into paths
    const paths = product_categories.flatMap((c) => [
      c.handle,
      ...c.category_children.map((child) => `${c.handle}/${child.handle}`),
    ]);
    assert.ok(paths.includes("camp/kitchen"));
    assert.ok(!paths.some((p) => p.includes("wholesale-stock")), "internal categories stay hidden");
  });

  it("list({handle}) for the category page and its breadcrumb (parent_category)", async () => {
    const { product_categories } = await store.productCategories.list({ handle: "kitchen" });
    assert.equal(product_categories.length, 1);
    const [kitchen] = product_categories;
    assert.equal(kitchen.parent_category.handle, "camp");
    assert.equal(kitchen.parent_category_id, kitchen.parent_category.id);
    const hidden = await store.productCategories.list({ handle: "wholesale-stock" });
    assert.deepEqual(hidden.product_categories, []);
  });

  it("retrieve(id); an internal category is a 404", async () => {
    const camp = categoryByHandle.camp;
    const { product_category } = await store.productCategories.retrieve(camp.id);
    assert.equal(product_category.handle, "camp");
    assert.deepEqual(handles(product_category.category_children), ["kitchen", "light", "shelter-sleep"]);
    const admin = new Medusa({ baseUrl, maxRetries: 0, apiKey: env("COMPAT_ADMIN_TOKEN") }).admin;
    const internal = (await admin.productCategories.list({ handle: "wholesale-stock" }))
      .product_categories[0];
    assert.equal(internal.is_internal, true);
    await assert.rejects(store.productCategories.retrieve(internal.id), (error) => {
      assert.equal(error.response.status, 404);
      return true;
    });
  });
});

// ================================================================================================
for (const [label, client, channelName] of [
  ["without a key (the default channel)", store, defaultChannel],
  ["with the Web Shop key", webStore, "Web Shop"],
  ["with the B2B Portal key", b2bStore, "B2B Portal"],
]) {
  describe(`products ${label} (reference rows 9-15)`, () => {
    it("list({limit: 12 | 100, offset: 0, region_id}): the channel's products, priced, with pictures", async () => {
      const { products, count } = await client.products.list(
        { limit: 100, offset: 0, region_id: region.id },
        starterHeaders,
      );
      const expected = published.filter((p) => inChannel(p, channelName)).map((p) => p.title).sort();
      assert.deepEqual(titles(products), expected);
      assert.equal(count, expected.length);
      for (const product of products) assertStarterProduct(product, { priced: true });
      const first = await client.products.list({ limit: 12, offset: 0, region_id: region.id });
      assert.equal(first.products.length, Math.min(12, expected.length));
    });

    it("list({collection_id: [id]}) for a collection page and the home rails", async () => {
      for (const c of seed.product_collections) {
        const { products, count } = await client.products.list({
          collection_id: [collectionByHandle[c.handle].id],
          region_id: region.id,
        });
        assert.deepEqual(titles(products), titlesInCollection(c.id, channelName), c.handle);
        assert.equal(count, products.length);
        for (const product of products) {
          assert.equal(product.collection.id, collectionByHandle[c.handle].id);
          assert.equal(product.collection.handle, c.handle);
        }
      }
    });

    it("list({category_id: [id]}) for a category page: the channel's products only", async () => {
      for (const handle of visibleHandles) {
        const { products, count } = await client.products.list({
          category_id: [categoryByHandle[handle].id],
          region_id: region.id,
        });
        assert.deepEqual(titles(products), titlesInCategory(handle, channelName), handle);
        assert.equal(count, products.length, `${handle} count`);
      }
    });

    it("list({handle}) then retrieve(`${id}?region_id=`) for the product page", async () => {
      const { products: all } = await client.products.list({ limit: 100, region_id: region.id });
      const wanted = all[0];
      const { products } = await client.products.list({ handle: wanted.handle });
      assert.deepEqual(products.map((p) => p.id), [wanted.id]);
      const { product } = await client.products.retrieve(`${wanted.id}?region_id=${region.id}`);
      assertStarterProduct(product, { priced: true });
      assert.deepEqual(
        product.variants.map((v) => v.calculated_price),
        wanted.variants.map((v) => v.calculated_price),
      );
    });

    it("list({region_id, currency_code, collection_id, is_giftcard: false, tags}) for related products", async () => {
      const { products: all } = await client.products.list({ limit: 100, region_id: region.id });
      const withTags = all.find((p) => p.tags.length && p.collection_id);
      if (!withTags) return; // a channel without tagged products in collections has no rail
      const { products } = await client.products.list({
        region_id: region.id,
        currency_code: region.currency_code,
        collection_id: [withTags.collection_id],
        is_giftcard: false,
        tags: withTags.tags.map((t) => t.id),
      });
      assert.ok(products.some((p) => p.id === withTags.id));
      for (const product of products) {
        assert.equal(product.collection_id, withTags.collection_id);
        assert.equal(product.is_giftcard, false);
        const tagIds = product.tags.map((t) => t.id);
        assert.ok(withTags.tags.some((t) => tagIds.includes(t.id)));
      }
    });

    it("list({id: [ids], region_id}) to enrich cart lines; ids of other channels are left out", async () => {
      const { products: mine } = await client.products.list({ limit: 100, region_id: region.id });
      const { products: web } = await store.products.list({ limit: 100 });
      const { products: b2b } = await b2bStore.products.list({ limit: 100 });
      const ids = [...new Set([...mine, ...web, ...b2b].map((p) => p.id))];
      assert.ok(ids.length > mine.length, "some ids belong to other channels");
      const { products } = await client.products.list({ id: ids, region_id: region.id });
      assert.deepEqual(products.map((p) => p.id).sort(), mine.map((p) => p.id).sort());
    });

    it("expand=images,tags,type,collection,categories is accepted and shows store categories only", async () => {
      const { products } = await client.products.list({
        expand: "images,tags,type,collection,categories",
        limit: 100,
      });
      for (const product of products) {
        assert.ok(!("variants" in product), "expand replaces the defaults");
        for (const c of product.categories) {
          assert.ok(visibleHandles.includes(c.handle), `${c.handle} is a store category`);
        }
      }
    });
  });
}
