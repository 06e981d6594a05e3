"""Mobile banking app: the app team of Tally, a UK bank that lives in its iOS and Android apps.

The moment: Wednesday 25 November 2026. Sprint 27 ended yesterday with the card freeze story
unfinished; Sprint 28 is planned this afternoon. The head of product moved "Make onboarding better" to
the top after a board meeting, before anyone has estimated or described it. Confirmation of
Payee is a regulatory must and far too big for one sprint. Savings pots was split two weeks ago.
"""

from __future__ import annotations

from sample_backlogs.spec import Sample, item, member, sprint

CRASHLYTICS = "https://console.firebase.google.com/project/tally-app/crashlytics/app/android:uk.tally.app/issues"
MIXPANEL = "https://eu.mixpanel.com/project/2841107/view/338921/app/boards#id=7412290"
ZENDESK = "https://tallybank.zendesk.com/agent"
CONFLUENCE = "https://tallybank.atlassian.net/wiki/spaces/APP/pages"

ITEMS = [
    # ----- carried over from Sprint 27 -------------------------------------------------------
    item(
        "card-freeze", "Freeze and unfreeze a card from the card screen", kind="story", points=5, moscow="must",
        status="planned", created="2026-09-16", updated="2026-11-24 17:05", labels=["cards", "security"],
        description="""
As a customer who cannot find my card, I want to freeze it in the app straight away, so that
nobody can use it while I look for it, and unfreeze it when I find it.

Freezing blocks card payments and cash withdrawals, not direct debits or incoming payments
(that is what customers expect, per the support team). The card processor (Marqeta) supports
suspend/reactivate; the app work is the toggle, the confirmation and the state on every screen.

**Carried over:** Android done and tested; iOS waits for the new card screen to be merged.
""",
        criteria=[
            "[x] Given an active card, when I freeze it, then card payments and withdrawals are declined within "
            "10 seconds",
            "[x] Given a frozen card, when I unfreeze it, then card payments work again",
            "[x] Given a frozen card, when a direct debit is collected, then it is paid as usual",
            "Given a frozen card, when I open the app on iOS, then the card screen shows it as frozen",
        ],
        evidence=[
            ("Lost-card calls: 1,900 a month, 14% of all support calls", f"{CONFLUENCE}/88121/Support+drivers+Q3"),
            ("App Store reviews: \"no way to freeze my card\" in 23 reviews since July",
             "https://appstoreconnect.apple.com/apps/1498312066/appstore/activity/ios/ratingsResponses"),
        ],
        scores={"business_value": 13, "time_criticality": 8, "risk_reduction": 8, "job_size": 5},
    ),
    # ----- Sprint 28 ---------------------------------------------------------------------------
    item(
        "statement-crash", "App crashes on Android 15 when opening a statement PDF", kind="bug", points=3,
        moscow="must", status="ready", created="2026-11-16", updated="2026-11-24 10:20",
        labels=["android", "statements", "crash"],
        description="""
Top crash on Android since 4.31.0. Only on Android 15, only for statements longer than two
pages. We hand the PDF to the system viewer with a `file://` URI, which Android 15 refuses.

```
Fatal Exception: android.os.FileUriExposedException
file:///data/user/0/uk.tally.app/cache/statements/2026-10.pdf exposed beyond app through Intent.getData()
    at android.os.StrictMode.onFileUriExposed(StrictMode.java:2388)
    at android.net.Uri.checkFileUriExposed(Uri.java:2412)
    at uk.tally.statements.StatementViewer.open(StatementViewer.kt:58)
```

Fix: serve the file through our `FileProvider` with a `content://` URI.
""",
        criteria=[
            "Given Android 15, when I open a 12-page statement, then it opens in the PDF viewer",
            "Given Android 10 to 14, when I open a statement, then it still opens as before",
        ],
        evidence=[
            ("1,240 crashes in 7 days, 0.8% of Android users", f"{CRASHLYTICS}/5c1e0b7d9a"),
            ("Play Store: 31 one-star reviews mention statements this month",
             "https://play.google.com/console/u/0/developers/6230/app/4972/user-feedback/reviews"),
        ],
    ),
    item(
        "cert-pins", "Ship the new certificate pins before the API certificate rotates on 14 January",
        kind="chore", points=2, moscow="must", status="ready", created="2026-11-03", updated="2026-11-20",
        labels=["security", "release"],
        description="The app pins the public keys of api.tally.co.uk. The certificate is replaced on 14 January; "
                    "app versions without the new pin will stop working that day.",
        criteria=[
            "Both the current and the next public key are pinned on iOS and Android",
            "The release is in the stores by 10 December (App Store review takes up to 3 days in December)",
            "Given a device whose clock is wrong by a year, when it connects, then pinning still works",
        ],
        questions=[
            ("Security (Arjun)", "Do we pin the leaf key or the intermediate?",
             "The intermediate CA's key, plus a backup key from the other CA. Never the leaf."),
        ],
    ),
    item(
        "biometric-fallback", "Fall back to the passcode after three failed Face ID or fingerprint attempts",
        kind="story", points=3, moscow="must", status="ready", created="2026-10-12", updated="2026-11-19",
        labels=["login", "security"],
        criteria=[
            "Given three failed Face ID attempts, when the third one fails, then the app asks for the passcode",
            "Given the passcode is entered, when it is right, then biometrics are offered again next time",
        ],
        questions=[("Security (Arjun)", "Three attempts or five?", "Three, like the card PIN.")],
        evidence=[("Support: 340 contacts in October from customers locked out after Face ID failed",
                   f"{ZENDESK}/search/1?q=face%20id%20locked")],
    ),
    item(
        "pending-payments", "Show pending card payments apart from settled ones", kind="story", points=5,
        moscow="must", status="ready", created="2026-08-26", updated="2026-11-18", labels=["transactions"],
        description="""
Customers see a balance that does not match the list of transactions, because pending card
payments (authorised, not settled) are taken from the available balance but listed among the
settled ones. Hotel and petrol-station pre-authorisations make it worse.

Show a "Pending" group at the top of the list with its total, and both balances on the account
screen: **Balance** and **Available to spend**.
""",
        criteria=[
            "Given a pending card payment, when I open the account, then it is listed under Pending with its amount",
            "Given a pre-authorisation that is released, when the app refreshes, then it leaves the Pending group",
            "Given pending payments, when I look at the account screen, then I see the balance and the available "
            "amount, labelled",
        ],
        questions=[
            ("Head of Support", "Which wording do customers understand: \"pending\" or \"on hold\"?",
             "\"Pending\": it is what other banks use and what customers say on the phone."),
        ],
        evidence=[
            ("\"My balance is wrong\": 2,300 contacts in Q3, the top reason", f"{CONFLUENCE}/88121/Support+drivers+Q3"),
        ],
        scores={"business_value": 8, "time_criticality": 3, "risk_reduction": 5, "job_size": 5},
    ),
    item(
        "onboarding-better", "Make onboarding better", kind="story", moscow="should", created="2026-11-20",
        updated="2026-11-23 09:12", labels=["onboarding"],
        description="From the board meeting: too many people give up while opening an account. Needs a look.",
        evidence=[("Account opening funnel: 54% of people who start finish it", MIXPANEL)],
    ),
    item(
        "widget-balance", "Home screen widget shows the old balance after a transfer", kind="bug", points=2,
        moscow="should", status="ready", created="2026-10-28", updated="2026-11-12", labels=["ios", "widget"],
        criteria=["Given a transfer just made in the app, when I go to the home screen, then the widget shows the "
                  "new balance within a minute"],
    ),
    item(
        "cop-spike", "Confirmation of Payee: Pay.UK directly or through our payments provider?",
        kind="spike", points=3, moscow="should", created="2026-11-09", updated="2026-11-20", labels=["payments",
                                                                                                   "regulatory"],
        description="Timebox 3 days, before we split [[cop]]. Compare cost per check, test access, and what "
                    "each means for the matching rules (close match, account type).",
        criteria=["A comparison of both routes with cost, lead time and a recommendation, shown at refinement"],
    ),
    item(
        "payment-notifications", "A notification for every card payment (opt-in)", kind="story", points=5,
        moscow="should", status="ready", created="2026-07-22", updated="2026-11-12",
        labels=["notifications", "cards"],
        criteria=[
            "Given notifications are on, when my card is used, then I get a notification with the merchant and "
            "amount within 30 seconds",
            "Given notifications are off (the default), when my card is used, then nothing is sent",
        ],
        questions=[
            ("Fraud (Kwame)", "Should a declined payment notify too?", "Yes: it is often the first sign of fraud."),
        ],
        scores={"business_value": 5, "time_criticality": 2, "risk_reduction": 8, "job_size": 5},
    ),
    item(
        "voiceover-amounts", "VoiceOver reads \"£100.00\" as \"pound one hundred point zero zero\"", kind="bug",
        points=2, moscow="should", status="ready", created="2026-10-05", updated="2026-10-29",
        labels=["ios", "accessibility"],
        criteria=["Given VoiceOver, when it reads an amount, then it says \"100 pounds\""],
        evidence=[("Customer email forwarded by the accessibility group (RNIB contact)", f"{ZENDESK}/tickets/98213")],
    ),
    # ----- the regulatory must: too big for a sprint ----------------------------------------
    item(
        "cop", "Confirmation of Payee when adding a new payee", kind="feature", points=40, moscow="must",
        created="2026-06-30", updated="2026-11-20", labels=["payments", "regulatory"],
        description="""
Before a customer adds a payee, check the name against the account with the payee's bank and
show the result: match, close match (with the right name), no match, or unavailable. Tally
must also **answer** other banks' checks for our own accounts.

This is two big pieces (asking and answering) and should be split once the spike
([[cop-spike]]) is done; 40 points is the team's guess for both.

## Asking (when a customer adds or edits a payee)

- personal and business accounts; the customer says which one they are paying
- the check runs again when a saved payee's name or account number is edited
- a "no match" payment can still be made, but the customer must confirm the warning, and we
  record that they did (the fraud team needs it for reimbursement claims)

## Answering (when another bank asks about a Tally account)

- matching rules: exact, close (initials, common misspellings, missing middle names), none
- joint accounts match on either holder's name
- an answer within 1 second, 99.9% of the time, around the clock

## Out of scope

Payees added before the launch are not checked again, and international payments have no
Confirmation of Payee.

| Result | What the customer sees | Can they go on? |
|---|---|---|
| Match | A green tick and the name | Yes |
| Close match | "Did you mean Jane Smith?" | Yes, after choosing |
| No match | A warning in red | Yes, after confirming the risk |
| Unavailable | "We couldn't check this name" | Yes |
""",
        criteria=[
            "Given a payee whose name matches, when I add them, then I see a match and can go on",
            "Given a close match, when I add the payee, then the app offers the right name",
            "Given another bank asks about a Tally account, when the name matches, then we answer within 1 second",
        ],
        questions=[
            ("Compliance (Joanna)", "Which deadline applies to us for asking and for answering?",
             "Both live before the Pay.UK audit in May 2027."),
            ("Legal (Tomás)", "If we answer a check wrongly and a customer is defrauded, who carries the loss?"),
        ],
        scores={"business_value": 8, "time_criticality": 20, "risk_reduction": 13, "job_size": 20},
    ),
    # ----- savings pots, split on 12 November ------------------------------------------------
    item(
        "savings-pots", "Savings pots", kind="epic", points=40, moscow="should", status="split",
        created="2026-05-13", updated="2026-11-12 14:30", labels=["savings"],
        description="""
Customers put money aside in named pots inside their current account, with an optional goal.
The money stays in the current account legally (no new product, no new interest rate), which
keeps Compliance's review small.

Split on 12 November (workflow steps). Round-ups are the part customers ask for most, but they
need the card-payment events from [[payment-notifications]] first.
""",
        criteria=[
            "Given my account, when I create a pot, then I can name it and set a goal",
            "Given a pot, when I move money into or out of it, then the balance and the pot update together",
            "Given a pot I no longer need, when I close it, then its money returns to the account",
        ],
        evidence=[("Customer survey (2,100 answers): pots are the most wanted feature after freezing cards",
                   f"{CONFLUENCE}/90214/Customer+survey+2026")],
        scores={"reach": 48000, "impact": 2, "confidence": 80, "effort": 5},
    ),
    item(
        "pots-create", "Savings pots: create a pot with a name and a goal", kind="story", points=5,
        moscow="should", status="ready", parent="savings-pots", created="2026-11-12 14:30",
        updated="2026-11-12 14:55", labels=["savings"],
        criteria=["Given my account, when I create a pot, then I can name it and set a goal"],
    ),
    item(
        "pots-move", "Savings pots: move money between the account and a pot", kind="story", points=5,
        moscow="should", status="ready", parent="savings-pots", created="2026-11-12 14:30",
        updated="2026-11-12 15:02", labels=["savings"],
        criteria=[
            "Given a pot, when I move money into or out of it, then the balance and the pot update together",
            "Given I move more than the available balance, when I confirm, then the app refuses and says why",
        ],
    ),
    item(
        "pots-close", "Savings pots: close a pot and move its money back", kind="story", points=3,
        moscow="should", status="ready", parent="savings-pots", created="2026-11-12 14:30",
        updated="2026-11-12 15:04", labels=["savings"],
        criteria=["Given a pot I no longer need, when I close it, then its money returns to the account"],
    ),
    item(
        "pots-round-up", "Savings pots: round card payments up into a pot", kind="story", points=8,
        moscow="could", parent="savings-pots", created="2026-11-12 14:30", updated="2026-11-12 15:10",
        labels=["savings"],
        questions=[
            ("Treasury (Helen)", "Do round-ups run once a day or with every payment? Daily is cheaper for us."),
        ],
    ),
    # ----- the next sprints ----------------------------------------------------------------
    item(
        "insights", "Spending insights: this month by category", kind="feature", points=13, moscow="should",
        created="2026-04-22", updated="2026-10-14", labels=["insights"],
        description="""
A monthly breakdown of card spending by category (groceries, transport, eating out, …) with the
change from last month. Categories come from the merchant category code; customers can move a
payment to another category.
""",
        criteria=[
            "Given card payments this month, when I open Insights, then I see totals by category",
            "Given a payment in the wrong category, when I move it, then this and later payments from that "
            "merchant use the new one",
        ],
        questions=[("Design (Lea)", "Do we show last month's numbers next to this month's, or a chart?",
                    "Numbers next to each other; charts in a later version.")],
        scores={"reach": 60000, "impact": 1, "confidence": 80, "effort": 3},
    ),
    item(
        "sca-trusted", "Skip the second factor for payments to trusted payees", kind="story", points=8,
        moscow="should", created="2026-08-05", updated="2026-10-07", labels=["payments", "regulatory", "login"],
        description="The SCA rules let a customer mark payees as trusted; payments to them need no second "
                    "factor. Customers who pay their rent from the app ask for this every month.",
        criteria=["Given a payee I marked as trusted, when I pay them, then no second factor is asked"],
        questions=[
            ("Compliance (Joanna)", "Does adding a payee to the trusted list itself need strong authentication?"),
            ("Fraud (Kwame)", "Do we limit trusted payees to ones paid at least twice before?"),
        ],
    ),
    item(
        "sort-code-validation", "Sort code check rejects some building society sort codes", kind="bug",
        points=2, moscow="should", created="2026-10-22", updated="2026-10-23", labels=["payments"],
        description="""
Payments to some building societies fail at the sort code step. The app checks the format with
a pattern that is too strict (it refuses sort codes starting with 0 in some cases):

```kotlin
private val SORT_CODE = Regex("^[1-9][0-9]-?[0-9]{2}-?[0-9]{2}$")
```

Should be six digits with optional dashes, and the real check is the modulus check on the
server (Vocalink's table), which we already do.
""",
        criteria=["Given the sort code 07-00-93, when I enter it, then the app accepts it"],
        evidence=[("12 tickets: \"invalid sort code\" for Nationwide and Coventry BS",
                   f"{ZENDESK}/search/1?q=invalid%20sort%20code")],
    ),
    item(
        "dynamic-type", "Largest text sizes break the transfer screen", kind="bug", points=3, moscow="should",
        created="2026-09-24", labels=["ios", "accessibility"],
        description="With the two largest Dynamic Type sizes the amount field covers the Continue button.",
    ),
    item(
        "gambling-block", "Block gambling payments on a card (with a 48-hour cooling-off to undo)",
        kind="feature", points=8, moscow="should", created="2026-07-08", updated="2026-09-30",
        labels=["cards", "wellbeing"],
        criteria=[
            "Given the block is on, when my card is used at a gambling merchant, then the payment is declined",
            "Given the block is on, when I turn it off, then it stays on for 48 hours more",
        ],
        questions=[("Head of Support", "Can support lift the block early for a customer in a crisis?",
                    "No. The cooling-off protects the customer; support can only explain it.")],
        scores={"business_value": 5, "time_criticality": 3, "risk_reduction": 8, "job_size": 8},
    ),
    item(
        "android-target", "Target Android 16 (API 36) before Google Play's August 2027 deadline", kind="chore",
        points=5, moscow="should", created="2026-09-10", labels=["android", "tech-debt"],
    ),
    item(
        "chat-sdk", "Replace the in-app chat SDK: the Intercom contract ends in June", kind="chore", points=13,
        moscow="should", created="2026-10-01", updated="2026-11-04", labels=["support", "tech-debt"],
        questions=[("Head of Support", "Which tool replaces Intercom: Zendesk messaging or Salesforce?")],
    ),
    item(
        "dark-mode", "Dark mode", kind="feature", points=8, moscow="could", created="2026-03-18",
        updated="2026-09-02", labels=["design"],
        criteria=["Given the phone is in dark mode, when I open the app, then every screen uses the dark palette"],
        questions=[("Design (Lea)", "Are the dark colours in the design system final?", "Yes, since v3.2.")],
    ),
    item(
        "csv-export", "Export transactions as CSV", kind="story", points=3, moscow="could", created="2026-05-27",
        labels=["transactions"],
        criteria=["Given a date range, when I export, then I get a CSV with date, description, amount and balance"],
    ),
    item(
        "crypto", "Buy and sell crypto in the app", kind="feature", moscow="wont", status="dropped",
        created="2026-03-04", updated="2026-06-17", labels=["investing"],
        description="Dropped in June: not in the strategy, and the FCA's crypto rules change in 2027.",
    ),
    item(
        "open-banking", "Open Banking: see accounts from other banks in the app", kind="epic", points=100,
        moscow="could", created="2026-03-11", updated="2026-08-19", labels=["open-banking"],
        description="""
Show balances and transactions of accounts at other UK banks next to the Tally account, through
an AISP (TrueLayer or Yapily). Consent has to be renewed every 90 days.

Big: consent flows for each bank, a new data model for external accounts, insights across
accounts, and a compliance review of what we may store.
""",
        questions=[("Compliance (Joanna)", "Do we need our own AISP permission, or can we use an agent model?")],
        scores={"reach": 25000, "impact": 2, "confidence": 50, "effort": 12},
    ),
    item(
        "cheque-imaging", "Pay in a cheque by taking a photo", kind="feature", points=40, moscow="could",
        created="2026-04-08", labels=["payments"],
        questions=[("Treasury (Helen)", "How many cheques do our customers pay in? Is it worth it?")],
    ),
    item(
        "apple-watch", "Apple Watch app", kind="feature", status="dropped", created="2026-03-25",
        updated="2026-07-01", labels=["ios"],
        description="Dropped: 1.1% of iOS customers have a paired watch that opens the companion app.",
    ),
    item(
        "fraud-confirm", "Confirm a suspicious payment in the app instead of by phone", kind="feature", points=13,
        moscow="should", created="2026-07-01", updated="2026-10-26", labels=["fraud", "payments"],
        description="""
When a payment looks like fraud we decline it and the customer has to call us; at peak the wait
is 25 minutes. Instead, hold the payment and ask in the app: "Was this you?" with the merchant
and amount. Yes lets it through within the card scheme's time limit; No freezes the card.
""",
        criteria=[
            "Given a card payment flagged as suspicious, when it is held, then I get a notification asking "
            "whether it was me",
            "Given I answer No, when the answer arrives, then the payment is declined and the card is frozen",
        ],
        questions=[
            ("Fraud (Kwame)", "How long may we hold a payment before the scheme times it out?",
             "About 8 seconds for card-present; online payments can be declined and retried."),
            ("Head of Support", "Which calls would this remove? We need the number for the business case."),
        ],
        evidence=[("Fraud calls: 4,800 a month, 25-minute wait at peak", f"{CONFLUENCE}/88121/Support+drivers+Q3")],
        scores={"business_value": 8, "time_criticality": 5, "risk_reduction": 13, "job_size": 13},
    ),
    item(
        "iban-abroad", "Show the IBAN and BIC for receiving payments from abroad", kind="story", points=2,
        moscow="could", created="2026-08-31", labels=["payments", "international"],
        criteria=["Given the account details screen, when I choose \"From abroad\", then I see the IBAN and BIC "
                  "and can copy them"],
    ),
    item(
        "payee-name-stale", "An edited payee name only shows after restarting the app", kind="bug", points=1,
        moscow="could", created="2026-11-06", labels=["payments"],
        criteria=["Given I rename a payee, when I go back to the payee list, then the new name is shown"],
    ),
    item(
        "passkeys-spike", "Spike: passkeys instead of passwords for web and app login", kind="spike", points=3,
        moscow="could", created="2026-10-07", labels=["login", "security"],
        questions=[("Security (Arjun)", "Would passkeys count as one SCA factor or two?")],
    ),
    item(
        "alamofire", "Move the iOS networking layer off Alamofire 4", kind="chore", points=5, created="2026-06-17",
        labels=["ios", "tech-debt"], description="Alamofire 4 is unmaintained and blocks Swift 6 strict concurrency.",
    ),
    item("ab-test-cleanup", "Remove the 2025 onboarding A/B test code", kind="chore", points=2,
         created="2026-09-02", labels=["onboarding", "tech-debt"]),
    item("statement-search", "Search transactions by amount", kind="story", points=3, created="2026-07-20",
         labels=["transactions"]),
    item("virtual-cards", "Virtual cards for shopping online", kind="feature", points=20, created="2026-06-10",
         labels=["cards"], description="A second card number that can be frozen or thrown away on its own."),
    item("direct-debits", "Cancel a direct debit in the app", kind="story", points=5, created="2026-05-06",
         labels=["payments"]),
    item("scheduled-payments", "Change the date of a scheduled payment", kind="story", points=3,
         created="2026-06-24", labels=["payments"]),
    item("merchant-logos", "Merchant logos in the transaction list", kind="story", points=5, created="2026-07-15",
         labels=["transactions", "design"]),
    item("error-messages", "Better error messages", created="2026-08-12"),
    # ----- the tail: not looked at yet --------------------------------------------------------
    item("app-start", "Improve app start time", created="2026-03-30", labels=["performance"]),
    item("split-bill", "Split a bill with friends", kind="feature", created="2026-04-15"),
    item("travel", "Tell us you're travelling (stop cards being blocked abroad)", created="2026-05-20",
         labels=["cards"]),
    item("ipad", "iPad layout", kind="feature", created="2026-04-01", labels=["ios", "design"]),
    item("joint-accounts", "Joint accounts", kind="epic", created="2026-03-02"),
    item("referrals", "Refer a friend", kind="feature", created="2026-06-03", labels=["growth"]),
    item("notification-settings", "Notification settings are confusing", created="2026-09-15",
         labels=["notifications"]),
    item("pay-by-phone", "Pay someone by their phone number", kind="feature", created="2026-07-29",
         labels=["payments"]),
    item("welsh", "The app in Welsh", kind="feature", created="2026-08-19"),
    item("kotlin-multiplatform", "Look at Kotlin Multiplatform for shared business logic", kind="spike",
         created="2026-09-08", labels=["tech-debt"]),
    item("salary-early", "Get paid a day early", kind="feature", created="2026-10-19"),
    item("budget-alerts", "Alert me when I've spent my budget for the month", created="2026-08-26",
         labels=["insights", "notifications"]),
    item("charity-round-up", "Round up to give to charity", created="2026-10-14", labels=["savings"]),
    item("cashback", "Cashback offers from retailers", kind="feature", created="2026-05-12", labels=["growth"]),
    item("screenshots", "Block screenshots of the card details screen", created="2026-11-02",
         labels=["security", "cards"]),
    # ----- done in Sprint 27 ----------------------------------------------------------------
    item(
        "copy-details", "\"Copy account details\" button on the account screen", kind="story", points=2,
        moscow="should", status="done", created="2026-10-20", updated="2026-11-17", labels=["payments"],
        criteria=["[x] Given the account screen, when I tap Copy, then name, sort code and account number are "
                  "copied as one text"],
    ),
    item(
        "login-loop", "Login loop after resetting the password", kind="bug", points=3, moscow="must", status="done",
        created="2026-11-05", updated="2026-11-13", labels=["login"],
        criteria=["[x] Given I reset my password, when I log in with the new one, then I reach the home screen"],
    ),
    item(
        "ios26-sdk", "Build with Xcode 26 and the iOS 26 SDK", kind="chore", points=5, moscow="must", status="done",
        created="2026-09-21", updated="2026-11-20", labels=["ios", "release"],
        criteria=["[x] The app builds with Xcode 26 on CI", "[x] No new warnings from the App Store submission"],
    ),
]

SAMPLE = Sample(
    file="banking",
    name="Mobile banking app",
    prefix="BANK",
    items=tuple(ITEMS),
    sprints=(
        sprint("Sprint 19", "2026-07-22", "2026-08-04", committed=34, completed=30),
        sprint("Sprint 20", "2026-08-05", "2026-08-18", committed=34, completed=26),
        sprint("Sprint 21", "2026-08-19", "2026-09-01", committed=36, completed=33),
        sprint("Sprint 22", "2026-09-02", "2026-09-15", committed=38, completed=35),
        sprint("Sprint 23", "2026-09-16", "2026-09-29", committed=36, completed=24, available_days=52),
        sprint("Sprint 24", "2026-09-30", "2026-10-13", committed=35, completed=31, available_days=55),
        sprint("Sprint 25", "2026-10-14", "2026-10-27", committed=36, completed=34, available_days=56),
        sprint("Sprint 26", "2026-10-28", "2026-11-10", committed=34, completed=27, available_days=48),
        sprint("Sprint 27", "2026-11-11", "2026-11-24", committed=33, completed=32, available_days=54),
    ),
    team=(
        member("Ines Carvalho", 10),
        member("Jonas Weber", 10),
        member("Kemi Adeyemi", 8),
        member("Liam O'Brien", 10),
        member("Mei Tanaka", 5),
        member("Noor Haddad", 10),
    ),
    deleted=(7, 12, 30),
)
