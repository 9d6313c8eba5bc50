# ruff: noqa: E501 - one sentence per line reads best
"""Words for the benchmark's synthetic policies: our own sentences, and a word list.

The generator walks a word-level Markov chain built from :data:`SENTENCES`,
jumping to a random word of :data:`WORDS` now and then.  The jumps make the
text about as hard to compress as real prose, so page weights measured on the
synthetic corpus are not flattered by repetitive text.
"""

SENTENCES = """\
We collect personal information when you create an account, place an order, join the loyalty programme, contact customer service or visit one of our stores.
Some information is collected automatically, such as the pages you view on our website, the links you select and the type of device and browser you use.
We use your delivery address and telephone number only to bring your parcel to you and to tell you when it will arrive.
If you pay by card, the payment is handled by our payment processor, and we never see or store your full card number.
Our fraud prevention checks compare the details of each order with patterns of past fraud, and a person reviews any order that is stopped.
You can change your marketing preferences at any time in your account settings, by selecting unsubscribe in any email, or by asking a member of staff.
We keep order records for seven years because tax law requires it, and we delete chat transcripts after eighteen months.
Closed-circuit television in our stores records the shop floor and the car park to protect staff and customers, and recordings are overwritten after thirty days.
When you return an item, we record the reason for the return and the condition of the goods so that we can improve our range.
We share information with carriers, warehouse operators, cloud hosting companies and customer service contractors who act on our instructions.
Each of these service providers signs a contract that limits what it may do with the information and requires it to keep the information secure.
We may disclose information to the police, regulators or courts when the law requires us to, or to protect the rights and safety of our customers.
Where we transfer information outside the country in which it was collected, we rely on adequacy decisions, standard contractual clauses or your explicit consent.
Children under the age of thirteen may not open an account, and we delete information that we learn was collected from a child without a parent's consent.
Our analytics cookies measure how many people visit each page and how long the checkout takes, and they are set only after you agree to them.
Strictly necessary cookies keep your basket between visits and remember that you are signed in; the site cannot work without them.
You have the right to ask for a copy of the information we hold about you, to have it corrected, and in many cases to have it erased.
You may also object to processing based on our legitimate interests, restrict how we use your information while a complaint is investigated, and take your data elsewhere.
We answer most requests within one month, and we will tell you if we need more time because a request is complex.
Store colleagues can help you make a request in person, but we may ask for proof of identity before we release any information.
Loyalty points are calculated from the value of your purchases, and we use your purchase history to choose the offers printed on your receipts.
If you would rather not receive personalised offers, you can keep collecting points while turning off profiling in the app.
Security measures include encryption in transit and at rest, regular penetration tests, staff training and strict access controls on customer records.
No method of transmission over the internet is completely secure, so we monitor our systems and will notify you and the regulator of a serious breach.
We review this policy at least once a year and whenever we introduce a new service that uses personal information in a different way.
When a change is significant we will tell you by email or with a notice in the app at least thirty days before it takes effect.
Recruitment records for unsuccessful candidates are deleted six months after the position is filled unless you ask us to keep your application on file.
Health information, such as allergy details you add to a pharmacy order, is treated as sensitive and used only to prepare that order safely.
Gift card balances and the names written on gift messages are stored with the order so that the recipient can use the card and read the message.
Partners who run promotions with us receive only the information needed to send you a prize, and only if you entered their promotion.
Our warehouse in Tilburg packs orders for customers in the Netherlands, Belgium and Luxembourg, while our Leeds site serves Great Britain and Northern Ireland.
Voice assistants, smart speakers and connected fridges that place orders through our application programming interface receive a token rather than your password.
Marketing agencies we hire may build lookalike audiences from hashed email addresses, but they must discard the hashes within fourteen days.
Receipts emailed after in-store purchases include the till number, the colleague's first name and the last four digits of the card used.
Surveys about store cleanliness, queue length and product availability are optional, anonymous by default, and analysed in aggregate.
Information about vehicles, such as number plates read by car park cameras, is kept for forty-eight hours unless a parking charge is disputed.
Our pharmacy team may call you to confirm a prescription, check for interactions with other medicines, or arrange a consultation.
Wedding lists, baby registries and wish lists are visible only to the people you invite, and you can withdraw an invitation whenever you like.
Engineers diagnosing a crash see anonymised stack traces, operating system versions and screen sizes, never the contents of your basket.
Competition entries are drawn at random by an independent adjudicator, and winners' names are published only with their written permission.
Franchisees operating stores under our brand are separate controllers for the customers they serve, and their own notices apply.
Corporate customers who buy on credit terms are subject to credit reference checks, and the agencies involved keep a record of the search.
Telephone calls to our contact centre are recorded for training, quality assurance and dispute resolution, and you will hear a message before recording starts.
Biometric templates are never created from CCTV footage, and facial recognition technology is not used anywhere in our estate.
Delivery drivers photograph parcels left in a safe place, and the photograph is attached to your order for ninety days.
Employees, contractors and volunteers are covered by a separate workforce privacy notice available on the intranet and on request.
If we sell or reorganise part of our business, customer records may pass to the buyer, who must honour the promises made in this policy.
Automated decisions with legal or similarly significant effects are not made about you without meaningful human involvement.
Some features rely on artificial intelligence models hosted by suppliers who are contractually prohibited from training on your data.
Accessibility settings, such as larger text or high contrast, are stored on your device and are not linked to your customer profile.
"""

WORDS = """\
account accuracy address administrator advertising aggregate allergy analytics anonymous appeal application
archive assessment audit authentication authority authorised backup balance bank beneficiary billing birthday booking
branch breach broker browser budget calendar campaign cancellation candidate catalogue certificate charity checkout
claim clinic colleague commission complaint compliance confidentiality consent consultant consumer contractor
controller conversion correspondence counterparty courier credential currency customs dashboard database deadline
debit decision delegate delivery department deposit designation device diagnosis directory disclosure dispute
distributor donation driver eligibility email employer encryption enquiry entitlement equipment estimate evaluation
evidence exemption expiry export facility feedback filing firewall forecast franchise frequency fulfilment gateway
guarantee guardian handset helpline hosting identifier incident indemnity inspection installation insurance interface
inventory invoice itinerary jurisdiction keyboard label landlord ledger licence lifecycle locker logistics
maintenance manifest manufacturer measurement membership merchant milestone mobile monitoring mortgage newsletter
notification objection occupation offer onboarding operator outlet ownership package parcel partner passport payroll
pension permission pharmacy photograph platform portal postcode preference premises prescription pricing privacy
procedure processor procurement profile promotion proof protocol provider purchase qualification questionnaire
quotation ratio rebate receipt recipient reconciliation redemption referral refund register regulator reimbursement
reminder rental repair replacement representative reservation resolution retailer revenue reward safeguard salary
schedule screening segment settlement shipment signature sponsor statement storage subscription subsidiary supplier
surcharge survey tablet tariff telephone tenancy terminal threshold ticket token tracking transaction transcript
transfer translation trustee upgrade validation vendor verification voucher warehouse warranty website withdrawal
annual biannual confidential contractual cross-border digital encrypted fraudulent historic independent legitimate
mandatory necessary optional periodic personalised proportionate reasonable regional secure sensitive statutory
temporary third-party verified weekly
assess cancel categorise compile confirm correct decline delete deliver disclose document encrypt erase escalate
estimate export flag forward generate identify import inform investigate issue log maintain match minimise notify
obtain publish pseudonymise recommend record redact refine reject remove renew request restrict retain review revoke
segment submit suspend synchronise transmit update upload validate verify withdraw
""".split()
