"""Webshop checkout: the checkout team of Hearth & Home, a UK homeware webshop.

The team moved its backlog from Jira to Groom in April; the older items keep their Jira keys.

The moment: Wednesday 25 November 2026. Sprint 38 ended on Friday; checkout is frozen for Black
Friday and Cyber Monday, and the team refines the backlog for Sprint 39 (from 1 December). Two
stories were not finished in Sprint 38 and carry over. Guest checkout was split last week. The
tail is a year of ideas nobody has looked at since.
"""

from __future__ import annotations

from sample_backlogs.spec import Sample, item, member, sprint

ZENDESK = "https://hearthandhome.zendesk.com/agent"
AMPLITUDE = "https://app.amplitude.com/analytics/hearthandhome/chart"
WIKI = "https://hearthandhome.atlassian.net/wiki/spaces/CHK/pages"

ITEMS = [
    # ----- carried over from Sprint 38 -------------------------------------------------------
    item(
        "saved-card", "Pay with a saved card", kind="story", points=5, moscow="must", status="planned",
        created="2026-09-08", updated="2026-11-20 16:42", labels=["payments", "returning-shoppers"],
        description="""
As a returning shopper I want to pay with a card I saved last time, so that I do not have to
find my card again.

Cards are saved with Stripe (a Customer with PaymentMethods); we keep only the brand, the last
four digits and the expiry date for display. Nothing card-related is stored on our side.

**Carried over from Sprint 38:** the 3-D Secure path could not be tested because the Stripe test
cards for frictionless 3DS2 were broken for a week (Stripe incident 2026-11-16). Two criteria left.
""",
        criteria=[
            "[x] Given a signed-in shopper with a saved card, when they reach payment, then the card is "
            "preselected and only the CVC is asked for",
            "[x] Given a saved card that has expired, when the shopper reaches payment, then it is shown as "
            "expired and cannot be chosen",
            "Given a shopper who removed a saved card in My Account, when they next check out, then the card is "
            "not offered",
            "Given the issuer asks for 3-D Secure, when paying with a saved card, then the challenge opens in "
            "the checkout and the order is placed once",
        ],
        evidence=[
            ("Returning shoppers place 61% of orders (October)", f"{AMPLITUDE}/r8k2vq1"),
            ("18% of returning shoppers drop off at the card step", f"{AMPLITUDE}/m3x9pz7"),
        ],
        scores={"reach": 42000, "impact": 2, "confidence": 80, "effort": 1},
    ),
    item(
        "double-discount", "Discount code applied twice when the basket is refreshed during payment",
        kind="bug", points=3, moscow="must", status="planned", created="2026-11-04", updated="2026-11-19",
        labels=["promotions", "basket"],
        description="""
Steps: add a discount code, go to payment, refresh the basket tab in a second window, pay.
The order total has the discount taken twice. Happens with percentage codes only.

Cause (Chloé): `BasketTotals::applyPromotions()` runs again on refresh and does not check the
promotions already on the basket. Fix is small; the regression test is most of the work.
""",
        criteria=[
            "[x] Given a basket with a 10% code, when the basket is refreshed during payment, then the code is "
            "applied once",
            "Given an order already paid with a double discount, when finance runs the promotions report, then "
            "the order is flagged",
        ],
        questions=[
            ("Finance (Marco)", "Do we honour the orders already placed with a double discount?",
             "Yes. Honour them, no customer contact; finance writes them off (about £1.8k)."),
        ],
        evidence=[
            ("9 support tickets since 2 November", f"{ZENDESK}/search/1?q=discount%20twice"),
            ("£1,840 of double discounts in October (finance report)", f"{WIKI}/2231409/Promotions+report"),
        ],
    ),
    # ----- Sprint 39: ready and ranked ----------------------------------------------------------
    item(
        "stripe-sdk", "Upgrade the Stripe SDK from v12 to v14 before v12 support ends in January",
        kind="chore", points=3, moscow="must", status="ready", created="2026-10-06", updated="2026-11-18",
        labels=["payments", "tech-debt"],
        description="""
Stripe ends support for SDK v12 on 15 January 2027. v14 changes how payment intents are
confirmed (`confirmPayment` replaces `handleCardAction`). See the
[migration guide](https://docs.stripe.com/upgrades) and our notes in [[saved-card]].
""",
        criteria=[
            "All checkout end-to-end tests pass against Stripe test mode with v14",
            "Given a payment that needs 3-D Secure, when it is paid in staging, then exactly one order is created",
            "The v12 package is removed from composer.json and package.json",
        ],
    ),
    item(
        "delivery-date", "Show the estimated delivery date before payment", kind="story", points=5,
        moscow="must", status="ready", created="2026-08-19", updated="2026-11-23 10:05",
        labels=["delivery", "conversion"],
        description="""
As a shopper I want to see when my order will arrive before I pay, so that I can decide whether
to order now.

"When will it arrive?" is the first reason shoppers give in the checkout exit survey. Today the
date appears only in the confirmation email.

Show one date for DPD and Royal Mail Tracked 24 (from their APIs) and a range for Evri, on the
delivery step and again on the payment step. Cut-off: orders before 14:00 ship the same day.
""",
        criteria=[
            "Given a UK postcode and an in-stock basket, when I choose DPD, then I see a delivery date before "
            "I pay",
            "Given an order placed after 14:00, when the date is shown, then it counts from the next working day",
            "Given the carrier's API does not answer within 800 ms, when the delivery step loads, then the "
            "usual range ('2–4 working days') is shown instead",
        ],
        questions=[
            ("Head of Logistics (Sam)", "Which carriers can give us a reliable date at checkout?",
             "DPD and Royal Mail Tracked 24 through their APIs. Evri only as a range."),
            ("Head of Ecommerce (Hannah)", "Do we offer Saturday delivery?",
             "Only where DPD offers it, at no extra charge this quarter."),
        ],
        evidence=[
            ("Checkout exit survey: 212 of 1,030 answers ask when the order arrives", f"{WIKI}/2198833/Exit+survey"),
        ],
        scores={"reach": 120000, "impact": 1, "confidence": 80, "effort": 1.5},
    ),
    item(
        "postcode-bt", "Postcode lookup finds no addresses for Northern Ireland (BT) postcodes", kind="bug",
        points=2, moscow="should", status="ready", created="2026-10-27", updated="2026-11-11",
        labels=["delivery", "address"],
        description="Shoppers in Northern Ireland have to type their address by hand; some give up.",
        criteria=[
            "Given the postcode BT7 1NN, when I look it up, then I can choose from the Belfast addresses",
            "Given a BT postcode, when the lookup returns nothing, then I can still type the address by hand",
        ],
        evidence=[("5 tickets in October from shoppers in Northern Ireland", f"{ZENDESK}/search/1?q=BT%20postcode")],
    ),
    item(
        "decline-message", "Declined cards show \"Something went wrong\" instead of the reason", kind="bug",
        points=2, moscow="should", created="2026-10-14", updated="2026-11-18",
        labels=["payments", "errors"],
        description="""
When Stripe declines a card we show the generic error page. Shoppers think the shop is broken
and call support, or try the same card five times. Show what Stripe tells us, in plain words,
and keep the basket and the address.

| Stripe decline code | What we show |
|---|---|
| `insufficient_funds` | Your card was declined. Try another card or payment method. |
| `expired_card` | This card has expired. Check the date or use another card. |
| `incorrect_cvc` | The security code is not right. Check the 3 digits on the back. |
| `card_velocity_exceeded` | Your bank has paused this card. Contact your bank or use another card. |
| anything else | Your payment did not go through. You have not been charged. |

Never say *why* the bank declined beyond this: Stripe asks merchants not to show fraud reasons.
""",
        criteria=[
            "Given a card declined for insufficient funds, when I pay, then I see the message from the table "
            "and my basket and address are kept",
            "Given a decline code that is not in the table, when I pay, then I see the general message",
        ],
        evidence=[
            ("31 tickets in October mention \"something went wrong\" at payment", f"{ZENDESK}/search/1?q=something"
             "%20went%20wrong"),
            ("Declined payments: 6.2% of attempts, 40% retried with the same card", f"{AMPLITUDE}/d1c7np0"),
        ],
        scores={"reach": 8000, "impact": 1, "confidence": 100, "effort": 0.5},
    ),
    item(
        "apple-pay-spike", "Spike: Apple Pay on the web: domain verification, Stripe setup, effort", kind="spike",
        points=2, moscow="should", created="2026-10-21", updated="2026-11-23 11:30", labels=["payments", "wallets"],
        description="Timebox: two days. Output: a page in Confluence with what we need, a rough size, the risks.",
        criteria=["A one-page write-up: steps, rough size in points, risks, and whether Google Pay comes for free"],
        questions=[
            ("Security (Olu)", "Can we host the Apple domain-association file on www, or does it have to go "
             "through the CDN team?"),
        ],
    ),
    item(
        "remember-address", "Remember the last delivery address", kind="story", points=3, moscow="should",
        created="2026-07-30", updated="2026-11-23 11:48", labels=["returning-shoppers", "address"],
        description="Signed-in shoppers retype their address every time. Preselect the one they used last.",
    ),
    # ----- guest checkout, split on 18 November ----------------------------------------------
    item(
        "guest-checkout", "Guest checkout", kind="epic", points=40, moscow="should", status="split",
        created="2026-06-02", updated="2026-11-18 15:10", labels=["guest-checkout", "conversion"],
        description="""
## Why

Shoppers must create an account before they can pay. In the checkout exit survey "I don't want
another account" is the second most common answer, and 34% of new visitors who reach the
sign-up step leave there.

## What

Let a shopper pay with an email address and a delivery address only. Afterwards, offer to turn
that into an account. Orders placed as a guest must still be trackable.

## Not now

- Guest returns through the returns portal (the returns team owns it; they plan it for Q2).
- Guest checkout for click & collect.

Split in refinement on 18 November into the stories below (workflow steps).
""",
        criteria=[
            "Given a new visitor, when they check out, then they can pay without creating an account",
            "Given a guest order, when the shopper wants to know where it is, then they can see its status "
            "without signing in",
        ],
        evidence=[
            ("34% of new visitors leave at the sign-up step", f"{AMPLITUDE}/g4w8kt2"),
            ("Exit survey: \"I don't want another account\" is answer no. 2", f"{WIKI}/2198833/Exit+survey"),
        ],
        scores={"reach": 65000, "impact": 2, "confidence": 50, "effort": 6},
    ),
    item(
        "guest-pay", "Guest checkout: pay with an email and a delivery address, no account", kind="story",
        points=5, moscow="should", status="ready", parent="guest-checkout", created="2026-11-18 15:10",
        updated="2026-11-18 15:40", labels=["guest-checkout", "conversion"],
        criteria=[
            "Given a new visitor, when they check out, then they can pay without creating an account",
            "Given an email that already has an account, when a guest uses it, then they are offered to sign "
            "in but can carry on as a guest",
        ],
    ),
    item(
        "guest-offer-account", "Guest checkout: offer to create an account after payment", kind="story",
        points=3, moscow="should", status="ready", parent="guest-checkout", created="2026-11-18 15:10",
        updated="2026-11-18 15:44", labels=["guest-checkout", "conversion"],
        criteria=[
            "Given a paid guest order, when the confirmation page shows, then I can set a password to keep my "
            "details, and nothing else is asked",
        ],
    ),
    item(
        "guest-order-status", "Guest checkout: order status page from the confirmation email", kind="story",
        points=5, moscow="should", parent="guest-checkout", created="2026-11-18 15:10",
        updated="2026-11-18 15:52", labels=["guest-checkout", "conversion"],
        criteria=[
            "Given a guest order, when the shopper wants to know where it is, then they can see its status "
            "without signing in",
            "Given a status link older than 90 days, when it is opened, then it asks for the email address and "
            "the order number instead",
        ],
        questions=[
            ("Legal (Priya)", "How long may we keep a guest's email address after delivery, and do we need a "
             "separate consent for the status emails?"),
        ],
    ),
    item(
        "guest-link-orders", "Guest checkout: link guest orders to an account created later", kind="story",
        points=8, moscow="could", parent="guest-checkout", created="2026-11-18 15:10",
        labels=["guest-checkout", "conversion"],
    ),
    # ----- the next sprints, less refined --------------------------------------------------------
    item(
        "klarna-pay-in-3", "Pay in 3 with Klarna", kind="feature", points=8, moscow="should",
        created="2026-09-22", updated="2026-11-16", labels=["payments", "bnpl"],
        description="""
Offer Klarna's interest-free "Pay in 3" at checkout for baskets from £35 to £1,000.

Klarna's merchant fee is higher than cards, so finance wants the numbers before we commit.
Through Stripe this is a payment method to switch on, plus our own messaging on the payment
step; the effort is mostly the UK consumer-credit wording and the tests.
""",
        criteria=[
            "Given a basket between £35 and £1,000, when I reach payment, then Pay in 3 with Klarna is offered",
            "Given a basket under £35, when I reach payment, then Klarna is not offered",
        ],
        questions=[
            ("Finance (Marco)", "Which merchant fee did we agree with Klarna? The business case assumed 2.49%."),
            ("Legal (Priya)", "Do the new UK BNPL rules require wording on the product pages, or only at "
             "checkout?"),
            ("Head of Ecommerce (Hannah)", "Pay in 3 only, or Pay in 30 days too?",
             "Pay in 3 only. Pay in 30 days was dropped: see the dropped item."),
        ],
        evidence=[("Basket value of shoppers who ask about instalments: £212 on average", f"{WIKI}/2240117/BNPL")],
        scores={"reach": 9000, "impact": 1, "confidence": 50, "effort": 2},
    ),
    item(
        "checkout-faster", "Make checkout faster", kind="story", points=13, moscow="should",
        created="2026-07-14", updated="2026-10-28", labels=["performance"],
        description="Checkout feels slow on phones. Lighthouse mobile score for /checkout is 41.",
    ),
    item(
        "gift-message", "Add a gift message to the order", kind="feature", points=3, moscow="could",
        created="2026-10-09", updated="2026-11-11", labels=["gifting"],
        description="Free text, up to 200 characters, printed on the packing slip without prices.",
        criteria=[
            "Given a gift message, when the order is packed, then the packing slip shows the message and no "
            "prices",
        ],
        questions=[("Head of Logistics (Sam)", "Can the warehouse printers print a second slip?", "Yes, since the "
                    "September upgrade.")],
        scores={"reach": 6000, "impact": 0.5, "confidence": 80, "effort": 0.5},
    ),
    item(
        "split-delivery", "Split delivery: send the in-stock items first, the rest when they arrive",
        kind="feature", points=20, moscow="should", created="2026-05-26", updated="2026-11-09",
        labels=["delivery"],
        description="""
Today an order with one back-ordered item waits until everything is in stock; 7% of orders wait
more than a week. Let the shopper choose: one delivery when everything is in, or two deliveries
(the second free).

Too big for one sprint: the warehouse system (Mintsoft) has to accept split shipments first,
then the delivery step, the emails and the refunds for a cancelled second part.
""",
        criteria=[
            "Given a basket with an item on back order, when I check out, then I can choose one or two deliveries",
            "Given two deliveries, when the first ships, then I get a dispatch email listing only those items",
        ],
        questions=[("Head of Logistics (Sam)", "Does Mintsoft accept two shipments for one order, and who pays the "
                    "second delivery?")],
        scores={"reach": 11000, "impact": 1, "confidence": 50, "effort": 4},
    ),
    item(
        "wcag-audit", "Fix the checkout accessibility audit findings (WCAG 2.2 AA)", kind="story", points=13,
        moscow="must", created="2026-09-30", updated="2026-11-02", labels=["accessibility"],
        description="""
The external audit in September found 14 issues in checkout, 5 of them "serious": the card
form's error messages are not announced by screen readers, focus is lost when the delivery
options reload, and the postcode button has no label. Report: see evidence.

Probably two or three stories once we sort the findings by page.
""",
        criteria=[
            "Given a screen reader, when a card field is invalid, then the error is announced",
            "Given keyboard-only use, when the delivery options reload, then focus stays on the option chosen",
            "All 5 serious findings are fixed and re-tested by the auditor",
        ],
        questions=[
            ("Legal (Priya)", "Does the European Accessibility Act apply to us for shoppers in Ireland?",
             "Yes. We sell to consumers in Ireland; it has applied since June 2025."),
        ],
        evidence=[("Accessibility audit report, September 2026 (14 findings)", f"{WIKI}/2207761/A11y+audit")],
    ),
    item(
        "vat-rounding", "Basket total is 1p off the invoice for some multi-buy baskets", kind="bug", points=2,
        moscow="should", created="2026-10-19", updated="2026-10-21", labels=["basket", "finance"],
        description="""
Multi-buy offers ("3 for £20") are split across the lines and each line's VAT is rounded on its
own, so the basket total and the invoice (which rounds once, on the total) can differ by 1p.

```php
// BasketTotals.php: rounds per line
foreach ($lines as $line) {
    $vat += round($line->net() * 0.20, 2);
}
// InvoiceBuilder.php: rounds once
$vat = round($net * 0.20, 2);
```

Finance wants the invoice to win (HMRC allows either, but the two must agree).
""",
        criteria=["Given a 3 for £20 basket, when I pay, then the basket total equals the invoice total"],
        evidence=[("Finance reconciliation: 73 orders off by 1p in October", f"{WIKI}/2231409/Promotions+report")],
    ),
    item(
        "order-email", "Redesign the order confirmation email", kind="story", points=5, moscow="could",
        created="2026-08-04", updated="2026-10-07", labels=["email", "brand"],
        description="Brand refresh: the email still has the 2023 logo and does not render in Outlook dark mode.",
    ),
    item(
        "hosted-fields-spike", "Spike: Stripe Payment Element instead of our own card form (PCI scope)",
        kind="spike", points=3, moscow="could", created="2026-09-15", updated="2026-10-30",
        labels=["payments", "security"],
        description="""
Our card form posts to Stripe.js elements, but the page around it is ours, which keeps us at
SAQ A-EP. Would the Payment Element get us to SAQ A? What do we lose in design control?
Timebox 3 days.
""",
        criteria=["A recommendation with the PCI scope before and after, and what the form would look like"],
        questions=[
            ("Security (Olu)", "Would SAQ A really apply with the Payment Element inside our own page?"),
            ("Design (Femi)", "Are we allowed to use Stripe's default styling for the card fields?",
             "Yes, with our fonts and colours through the Appearance API."),
        ],
    ),
    item(
        "klarna-pay-later", "Klarna: pay in 30 days", kind="feature", moscow="wont", status="dropped",
        created="2026-09-22", updated="2026-11-16", labels=["payments", "bnpl"],
        description="Dropped on 16 November: Pay in 3 only (Hannah). Higher fee, and it overlaps with Pay in 3.",
    ),
    item(
        "click-collect", "Click & collect from partner shops", kind="feature", points=40, moscow="could",
        created="2026-04-21", updated="2026-09-14", labels=["delivery", "partners"],
        description="""
Let shoppers collect from one of 140 partner shops (newsagents and garden centres) through
the InPost network. Needs a shop finder on the delivery step, a new shipping method in the
warehouse system and new emails.
""",
        questions=[
            ("Head of Retail Ops (Gareth)", "Which partner network do we go with, InPost or Collect+?"),
            ("Finance (Marco)", "What does a collection cost us compared with a home delivery?"),
        ],
        scores={"reach": 14000, "impact": 1, "confidence": 50, "effort": 8},
    ),
    item(
        "marketplace", "Marketplace: sellers' products in the same basket", kind="epic", points=100,
        moscow="could", created="2026-03-10", updated="2026-09-01", labels=["marketplace"], source="jira:CHK-1187",
        description="""
## Goal

From autumn 2027 third-party sellers list products on Hearth & Home. Shoppers pay once for a
basket with products from several sellers; each seller ships their own part.

## What it means for checkout

- one payment, split between sellers (Stripe Connect), with our commission taken
- delivery options and costs per seller, shown per group in the basket
- one order for the shopper, one order per seller behind it
- refunds and returns per seller

## Open

The business case is still being written (Head of Ecommerce). Nothing here is ready for
refinement; it is in the backlog so that its size is visible in the forecast.
""",
        questions=[("Head of Ecommerce (Hannah)", "Is the marketplace confirmed for 2027, and from which quarter?")],
    ),
    item(
        "paypal-express", "Remove the old PayPal Express Checkout integration", kind="chore", points=3,
        moscow="could", created="2026-05-12", labels=["payments", "tech-debt"],
        description="PayPal now goes through Stripe. The old Express Checkout code path is unused since May.",
        criteria=["The PayPal Express code, config and webhooks are removed; PayPal through Stripe still works"],
    ),
    item(
        "loqate-v4", "Move address lookup to the Loqate v4 API (v3 is switched off in March)", kind="chore",
        points=5, moscow="must", created="2026-10-02", labels=["address", "tech-debt"],
        evidence=[("Loqate's deprecation notice, 1 October", "https://www.loqate.com/developers/api/deprecations/")],
    ),
    item(
        "stock-in-basket", "Show \"only 2 left\" in the basket", kind="story", points=3, moscow="could",
        created="2026-06-23", labels=["basket", "conversion"],
        criteria=["Given an item with 3 or fewer in stock, when it is in my basket, then I see how many are left"],
    ),
    item(
        "fraud-review", "Hold orders for review when the Stripe Radar risk is high", kind="story", points=5,
        moscow="should", created="2026-08-27", updated="2026-10-12", labels=["payments", "fraud"],
        description="Chargebacks were £6.4k in Q3, mostly high-risk orders we shipped. Hold them for a person "
                    "to look at before the warehouse picks them.",
        questions=[("Head of Support", "Can the support team review held orders within 4 working hours?",
                    "Yes on weekdays; at weekends they wait until Monday.")],
        evidence=[("Chargebacks Q3: £6,412 on 37 orders", f"{WIKI}/2219034/Chargebacks+Q3")],
    ),
    item(
        "edit-basket-payment", "Change quantities on the payment step without going back to the basket",
        kind="story", points=5, created="2026-07-07", labels=["basket"],
    ),
    item(
        "server-events", "Send checkout funnel events to Amplitude from the server", kind="chore", points=3,
        created="2026-09-02", labels=["analytics"],
        description="Ad blockers hide about 30% of checkout events from the browser SDK. Send them from the "
                    "server instead, so the funnel numbers we use above can be trusted.",
    ),
    item(
        "basket-devices", "Keep the basket across devices for signed-in shoppers", kind="story", points=8,
        created="2026-04-14", labels=["basket", "returning-shoppers"],
    ),
    item(
        "safe-place", "Delivery instructions: safe place or a neighbour", kind="story", points=3,
        created="2026-06-16", labels=["delivery"],
        questions=[("Head of Logistics (Sam)", "Do all three carriers accept a safe-place note through the API?")],
    ),
    item(
        "bitcoin", "Pay with Bitcoin", kind="feature", status="dropped", created="2026-03-24", source="jira:CHK-1222",
        updated="2026-06-30", description="Dropped: three requests in two years, and a compliance headache.",
    ),
    # ----- the tail: ideas nobody has looked at yet ------------------------------------------
    item("improve-performance", "Improve performance", created="2026-03-17", source="jira:CHK-1203"),
    item("google-pay", "Look into Google Pay", kind="feature", created="2026-05-05", labels=["wallets"]),
    item("pdf-invoices", "Customers want VAT invoices as PDF", created="2026-06-08",
         description="Trade customers ask for this every week (Head of Support)."),
    item("gift-cards-split", "Pay part with a gift card and the rest by card", kind="feature",
         created="2026-04-28", labels=["payments", "gifting"]),
    item("reorder", "Reorder from order history", created="2026-03-31", labels=["returning-shoppers"],
         source="jira:CHK-1241"),
    item("eur-prices", "Show prices in euros for shoppers in Ireland", kind="feature", points=20,
         created="2026-05-19", labels=["international"]),
    item("exit-survey-v2", "Exit survey when someone leaves the checkout: ask one question, not five",
         created="2026-08-11", labels=["analytics"]),
    item("address-book", "Address book: several saved addresses", created="2026-04-07", labels=["address"]),
    item("basket-nicer", "Make the basket page nicer", created="2026-07-21"),
    item("loyalty-points", "Loyalty points at checkout?", kind="feature", created="2026-09-09"),
    item("feature-flags", "Tidy up old checkout feature flags", kind="chore", points=2, created="2026-06-29",
         labels=["tech-debt"], description="About 20 flags, most of them on for everyone since 2025."),
    item("staff-discount", "Staff discount code at checkout", created="2026-10-13"),
    item("trade-invoice", "Trade customers: pay by invoice (30 days)", kind="feature", created="2026-03-03",
         labels=["b2b", "payments"], source="jira:CHK-1164"),
    item("furniture-slots", "Choose a delivery time slot for furniture", kind="feature", points=40,
         created="2026-05-29", labels=["delivery"]),
    item("sofort-check", "Do we still need the Sofort integration?", kind="spike", created="2026-08-25",
         labels=["payments", "tech-debt"]),
    item("carbon-delivery", "Carbon-neutral delivery option", created="2026-10-26", labels=["delivery"]),
    # ----- done in Sprint 38 ----------------------------------------------------------------
    item(
        "free-delivery-bar", "Free delivery progress bar in the basket (\"£12 away from free delivery\")",
        kind="story", points=3, moscow="should", status="done", created="2026-09-29", updated="2026-11-13",
        labels=["basket", "conversion"],
        criteria=["[x] Given a basket under £50, when I open it, then I see how much more gives free delivery"],
    ),
    item(
        "bf-rate-limits", "Raise the payment gateway rate limits for Black Friday", kind="chore", points=2,
        moscow="must", status="done", created="2026-10-20", updated="2026-11-17",
        labels=["payments", "black-friday"],
        criteria=[
            "[x] Stripe confirmed the raised limit in writing",
            "[x] The load test at 3× last year's peak passes",
        ],
    ),
    item(
        "flaky-spec", "Fix flaky CheckoutPaymentSpec on CI", kind="chore", points=1, moscow="should", status="done",
        created="2026-11-05", updated="2026-11-12", labels=["tech-debt", "ci"],
        criteria=["[x] 50 runs in a row pass on CI"],
    ),
    item(
        "continue-shopping", "\"Continue shopping\" goes to the home page instead of the last category",
        kind="bug", points=1, moscow="could", status="done", created="2026-10-30", updated="2026-11-19",
        labels=["basket"],
        criteria=["[x] Given I came from a category, when I press Continue shopping, then I am back in that "
                  "category"],
    ),
]

SAMPLE = Sample(
    file="webshop",
    name="Webshop checkout",
    prefix="SHOP",
    items=tuple(ITEMS),
    sprints=(
        sprint("Sprint 31", "2026-08-03", "2026-08-14", committed=28, completed=17),
        sprint("Sprint 32", "2026-08-17", "2026-08-28", committed=26, completed=21),
        sprint("Sprint 33", "2026-08-31", "2026-09-11", committed=30, completed=27),
        sprint("Sprint 34", "2026-09-14", "2026-09-25", committed=32, completed=24, available_days=45),
        sprint("Sprint 35", "2026-09-28", "2026-10-09", committed=30, completed=29, available_days=46),
        sprint("Sprint 36", "2026-10-12", "2026-10-23", committed=30, completed=22, available_days=38),
        sprint("Sprint 37", "2026-10-26", "2026-11-06", committed=31, completed=28, available_days=44),
        sprint("Sprint 38", "2026-11-09", "2026-11-20", committed=30, completed=25, available_days=43),
    ),
    team=(
        member("Ana Sousa", 10),
        member("Bilal Khan", 8),
        member("Chloé Martin", 10),
        member("Dmitri Volkov", 6),
        member("Efua Mensah", 9),
    ),
    deleted=(4, 9, 23, 31, 38),
)
