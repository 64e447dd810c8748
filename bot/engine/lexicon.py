"""The words the rubric turns on, in ONE table keyed by meaning.

``PHRASES[Meaning.X]`` holds every phrase (a regular-expression fragment, lower case) with
that meaning; the patterns the rules use are built from the table, and so is the fast
pre-filter that decides whether a sentence can hold a step at all. Adding a phrase is a
one-place change: put it in its meaning's tuple.

Grammar (who commits, past or future, questions, triggers) stays as patterns below the
table: those are shapes of sentences, not words with a meaning.
"""

from __future__ import annotations

from enum import StrEnum

from bot.engine.patterns import CaseFree, ci


class Meaning(StrEnum):
    REVISIT = "revisit"  # stall verbs: circle back, reconnect, revisit
    DELIBERATE = "deliberate"  # mulling it over: think about it, sit on it
    VAGUE_TALK = "vague_talk"  # talk, chat, send some info
    HEDGE = "hedge"
    AGREEMENT = "agreement"
    REFUSAL = "refusal"
    WITHDRAWAL = "withdrawal"
    SCHEDULING = "scheduling"  # scheduling verbs
    SCHEDULING_OBJECT = "scheduling_object"  # invites, times, slots
    MEETING_NOUN = "meeting_noun"
    MEETING_WORD = "meeting_word"
    TOGETHER = "together"
    SENDING = "sending"
    CALLBACK = "callback"
    CHASE = "chase"
    DECISION = "decision"
    HOMEWORK = "homework"
    REPORT_BACK = "report_back"
    OFFER = "offer"
    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    UNSCHEDULED = "unscheduled"
    PREFERENCE = "preference"  # picking one of the options offered
    ANSWER_OWED = "answer_owed"  # "I'll let you know": an answer promised, no time
    MEETING_RECORD = "meeting_record"  # what a meeting leaves behind: notes, recording


# "draft" the verb, not the noun: "I'll draft the SOW", not "go through the draft Tuesday".
_DRAFT_VERB = (
    r"(?<!\bthe )(?<!\ba )(?<!\bour )(?<!\byour )(?<!\bmy )(?<!\bfirst )(?<!\bfinal )draft"
)

PHRASES: dict[Meaning, tuple[str, ...]] = {
    # Stall verbs that promise to come back, with nothing specific attached.
    Meaning.REVISIT: (
        r"(?:some )?other time",
        r"another time",
        r"touch(?:ing)? base",
        r"reconnect",
        r"re-connect",
        r"circle back",
        r"chat again",
        r"talk (?:again|soon|more|later)",
        r"speak (?:again|soon)",
        r"catch up",
        r"check in",
        r"stay in touch",
        r"keep in touch",
        r"follow[- ]up",
        r"f/u",
        r"get back to (?:you|me|us)",
        r"sync up",
        r"connect again",
        r"be in touch",
        r"keep (?:each other|you|me|us) (?:posted|updated|in the loop)",
        r"come back to (?:you|me|us)",
        r"revisit",
        r"pick (?:this|it|things|that) (?:back )?up(?: again| later)?",
        r"touch base again",
    ),
    # Mulling it over: a stall whatever its object ("let me sit on the pricing").
    Meaning.DELIBERATE: (
        r"think (?:about|over|through|on) (?:it|this|that|things|everything)",
        r"think it (?:over|through)",
        r"sleep on (?:it|this|that|the \w+)",
        r"chew on",
        r"mull(?:ing)?(?: (?:it|this|that|things))? over",
        r"mull",
        r"sit on (?:it|this|that|the \w+)",
        r"noodle on",
        r"digest (?:it|this|that|the \w+)",
        r"ponder",
    ),
    # Vague only when bare; they commit to nothing on their own.
    Meaning.VAGUE_TALK: (
        r"send (?:some|more|a bit of|over some) (?:info|information|stuff|details|material)",
        r"some (?:info|information) over",
        r"let (?:you|me|us) know",
        r"ping (?:you|me)",
        r"talk",
        r"chat",
        r"speak",
        r"hop on a call",
        r"jump on a call",
        r"connect",
    ),
    # An answer that is not a yes.
    Meaning.HEDGE: (
        r"let me (?:double[- ]check|check|see|get back|confirm|think|look|run it|ask)",
        r"not sure",
        r"maybe",
        r"perhaps",
        r"probably",
        r"i think so\?",
        r"possibly",
        r"i(?:'|’)ll (?:see|try|have to check|need to check|check)",
        r"we(?:'|’)ll see",
        r"hard to say",
        r"might",
        r"tentative(?:ly)?",
        r"i(?:'|’)m not certain",
        r"should be (?:ok|okay|fine) but",
        r"depends",
        r"no promises",
        r"can(?:'|’)t promise",
        r"let you know(?! (?:the (?:minute|moment|second|day)|as soon as|once|when|by|first thing|tomorrow|today|tonight))",
        r"get back to you(?! (?:the (?:minute|moment|second|day)|as soon as|once|when|by|first thing|tomorrow|today|tonight|on|with))",
        r"circle back",
        r"hold off",
        r"(?:he|she|they)(?:'|’)ll (?:check|see|think|try|look into it|get back)",
        r"not (?:right )?now",
        r"busy",
        r"swamped",
        r"have to see",
        r"need to see",
        r"need to check",
        r"ask (?:my|our)",
    ),
    # An answer that agrees.
    Meaning.AGREEMENT: (
        r"yes",
        r"yeah",
        r"yep",
        r"yup",
        r"sure",
        r"absolutely",
        r"definitely",
        r"of course",
        r"certainly",
        r"perfect",
        r"sounds (?:good|great|perfect|fine|like a plan)",
        r"works (?:for|with) (?:me|us)",
        r"(?:that|this|it|which|both|all of that|the \w+|\w+day(?: at [\w:]+)?|\d{1,2}(?::\d\d)?(?: ?[ap]m)?) (?:works|work)(?: great| fine| well| perfectly)?(?: for (?:me|us))?",
        r"see you (?:then|there|on|at|next|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|soon)",
        r"see you(?=\s*[.!]?\s*$)",
        r"talk (?:to you )?then",
        r"speak then",
        r"i(?:'|’)ll be there",
        r"we(?:'|’)ll be there",
        r"deal",
        r"agreed",
        r"count me in",
        r"looking forward",
        r"let(?:'|’)s do (?:it|that)",
        r"lock it in",
        r"book it",
        r"confirmed",
        r"i can do that",
        r"we can do that",
        r"that(?:'|’)s fine",
        r"(?:tomorrow|today|\w+day)(?: at [\w:]+)? is (?:fine|good|great|perfect|ok(?:ay)?)",
        r"fine by me",
        r"no problem",
        r"will do",
        r"i(?:'|’)m in",
        r"happy to",
        r"sounds fair",
        r"fair enough",
        r"good plan",
        r"i(?:'|’)ll accept",
        r"accepted",
        r"you got it",
        r"on my calendar",
        r"in my calendar",
        r"penciled in",
        r"pencilled in",
        r"i(?:'|’)ll be ready",
        r"i(?:'|’)ll have it",
        r"we(?:'|’)ll have it",
        r"i(?:'|’)ll do that",
        r"that(?:'|’)s great",
        r"great[,!.]? (?:thanks|thank you|talk|see|let(?:'|’)s)",
        r"ok(?:ay)?[,!.]? (?:thanks|thank you|talk|see|let(?:'|’)s|works|sounds)",
        r"it(?:'|’)s a date",
        r"done deal",
    ),
    # An answer that turns the step down.
    Meaning.REFUSAL: (
        r"no(?:pe)?,",
        r"can(?:'|’)t",
        r"cannot",
        r"won(?:'|’)t work",
        r"doesn(?:'|’)t work",
        r"don(?:'|’)t think so",
        r"not (?:going to|gonna) work",
        r"unavailable",
        r"out of (?:office|town)",
        r"not interested",
        r"pass on",
        r"no thanks",
        r"rather not",
        r"not a good time",
        r"booked (?:up|solid)",
        r"conflict",
        r"no good",
        r"(?:\w+day|that|it|this week|next week)(?:'|’)?s? (?:is )?(?:bad|out|tough|tricky|impossible)",
        r"(?:is|are) (?:still )?up in the air",
        r"decided (?:not to|to stay|to go with|against)",
        r"accepted (?:another|a different|an? (?:other|competing|counter))",
        r"counter[- ]offer",
        r"go(?:ing)? (?:in )?(?:another|a different) direction",
        r"went with (?:another|a different)",
        r"not (?:be )?moving forward",
        r"won(?:'|’)t be (?:moving forward|renewing|able)",
        r"not (?:going to )?renew",
        r"withdraw",
        r"step(?:ping)? back from",
        r"pull(?:ing)? out",
        r"have to pass",
        r"going to pass",
        r"need to cancel",
        r"have to cancel",
    ),
    # Words that name a meeting, strongly enough to make a step a meeting.
    Meaning.MEETING_NOUN: (
        r"(?<!on the )(?<!in the )(?<!during the )(?<!after the )(?<!from the )call",
        r"review (?=w/|with\b)",
        r"(?:exec(?:utive)?|sponsor|budget|business|design|security|contract|pricing|legal|technical|architecture|quarterly|annual|performance|pipeline|account|deal|progress|joint) review",
        r"sit[- ]down",
        r"deep[- ]dive",
        r"(?:re)?assessment",
        r"next (?:\w+ )?review",
        r"read[- ]?out",
        r"put (?:some |\w+ |an? )?(?:time|minutes|mins|min|hour|half hour|half an hour|slot) on",
        r"on (?:the|our|your|my) calendars?",
        r"walk (?:\w+ ){1,2}through",
        r"meet(?:ing)?",
        r"demo",
        r"walk[- ]?through",
        r"viewing",
        r"showing",
        r"tour",
        r"interview",
        r"session",
        r"qbr",
        r"sync",
        r"onsite",
        r"on[- ]site",
        r"lunch",
        r"coffee",
        r"workshop",
        r"presentation",
        r"zoom",
        r"site visit",
        r"appointment",
        r"appt",
        r"mtg",
        r"review (?:it |this |them |the \w+ )?together",
        r"kick(?:ed|ing)?[- ]?off",
        r"debrief",
        r"open house",
        r"inspection",
        r"consultation",
        r"panel",
        r"final round",
        r"training",
        r"closing",
        r"signing",
        r"orientation",
        r"ebr",
        r"1:1",
        r"one-on-one",
        r"photo shoot",
        r"remote (?:in|session)",
        r"for the (?:photographer|photos|inspector|appraiser|movers|stager|surveyor)",
        r"dial in",
        r"screen ?share",
        r"(?:come|stop|swing|drop|pop) (?:by|over|round)",
        r"see you (?:on|at|next)",
        r"(?:see|view|visit|tour) (?:the|both|it|them|the \w+) (?:house|houses|flat|property|apartment|unit|place|home|listing)s?",
    ),
    # Words that may name a meeting, the weak ones included.
    Meaning.MEETING_WORD: (
        r"meet(?:ing|s)?",
        r"call",
        r"calls",
        r"demo",
        r"demos",
        r"walk[- ]?through",
        r"viewing",
        r"viewings",
        r"showing",
        r"tour",
        r"interview(?:s)?",
        r"session",
        r"qbr",
        r"sync",
        r"onsite",
        r"on-site",
        r"lunch",
        r"coffee",
        r"workshop",
        r"presentation",
        r"zoom",
        r"teams call",
        r"video call",
        r"phone call",
        r"screen",
        r"site visit",
        r"visit",
        r"appointment",
        r"appt",
        r"mtg",
        r"review (?:it |this |them |the \w+ )?together",
        r"go (?:over|through) (?:it|this|them|the)",
        r"walk (?:you|them|him|her) through",
        r"catch[- ]up",
        r"check[- ]in",
        r"kick[- ]?off",
        r"debrief",
        r"follow[- ]up (?:call|meeting|session)",
        r"f/u (?:call|mtg)",
        r"get together",
        r"sit[- ]down",
        r"touch base",
        r"reconnect",
        r"circle back",
        r"chat",
        r"talk",
        r"speak",
        r"connect",
        r"hop on",
        r"jump on",
        r"(?:hop|jump|get) back on",
        r"huddle",
        r"open house",
        r"inspection",
        r"consult(?:ation)?",
        r"office hours",
        r"panel",
        r"final round",
        r"round",
        r"training",
        r"closing",
        r"signing",
        r"orientation",
        r"ebr",
        r"1:1",
        r"one-on-one",
        r"standup",
        r"photo shoot",
        r"shoot",
        r"walk-through",
    ),
    # Sending or preparing something for the other side.
    Meaning.SENDING: (
        r"dig (?:it |them |that |this |those |out |up )?(?:up|out)",
        r"(?:track|hunt) (?:it |them |that |this |those )?down",
        r"look (?:it|them|that) up",
        r"sends",
        r"send(?:ing)?",
        r"get (?:the|a|an|our|my|this|that|those|it|them)(?: \w+){0,3}? to you",
        r"get (?:it |them |that |this |one |those )?out(?! of)",
        r"bring(?:ing)? (?:a|an) (?:new|spare|replacement|fresh|second)",
        r"bring(?:ing)? (?:it|them|one) (?:over|round|by)",
        r"promised (?:\w+ )?(?:the|a|an|to send|our|my)",
        r"sent over",
        r"shar(?:e|es|ing)",
        r"email (?:you|it|them|over)",
        r"forward",
        _DRAFT_VERB,
        r"prepare",
        r"put together",
        r"put (?:the|a|an|our|my|your|some) (?:[\w-]+ ){1,3}together",
        r"write up",
        r"pull together",
        r"pull (?:the|a|an|our|my|your|some) (?:[\w-]+ ){1,3}together",
        r"get (?:the|your|it|that|this|those|them) (?:[\w-]+ ){0,3}(?:reset|fixed|sorted|done|"
        r"set up|configured|installed|ready|re-?imaged|unlocked|restored)",
        r"get (?:the|a|an|our|my|your|this|that|those) (?:[\w-]+ ){1,3}out(?! of)",
        r"have (?:the|a|an|your|our|my|it|them|that|this|those|some) (?:[\w-]+ ){0,3}?"
        r"(?:over |back )?to (?:you|them)",
        # "I'll have the fix deployed by EOD": having something done for them
        r"have (?:the|a|an|your|our|my|it|that|this|those|them) (?:[\w-]+ ){0,4}?(?:reset|fixed|"
        r"sorted|done|set up|configured|installed|ready|re-?imaged|unlocked|restored|deployed|"
        r"patched|replaced|printed|shipped|signed|finished|updated|upgraded|drafted|written up|"
        r"booked|delivered|migrated|provisioned|enabled|built|cleaned up|wrapped up)",
        r"shoot (?:you|over)",
        r"get (?:you|them|it) (?:the|a|an|our|my|over)",
        r"drop (?:you|off)",
        r"deliver",
        r"provide",
        r"migrate",
        r"provision",
        r"deploy",
        r"configure",
        r"re-?image",
        r"mail",
        r"post",
        r"upload",
        r"attach",
        r"over to you",
        r"your way",
        r"loop in",
        r"intro(?:duce)?",
        r"connect you with",
        r"text you (?:a|some|the)",
        r"have (?:it|them|the \w+) (?:to you|over|ready)",
        r"(?:you(?:'|’)ll|you will) (?:have|get|receive)",
    ),
    # A promised call or update back.
    Meaning.CALLBACK: (
        r"call you(?: back)?",
        r"ring you",
        r"phone you",
        r"give you a (?:call|ring|buzz)",
        r"get back to you",
        r"update you",
        r"keep you (?:posted|updated)",
        r"let you know(?! (?:the (?:minute|moment|second|day)|as soon as|once|when|by|first thing|tomorrow|today|tonight))",
        r"report back",
        r"circle back",
        r"follow up with you",
        r"ping you",
        r"text you",
        r"confirm (?:with you|the|by|whether)",
        r"follow[- ]?up",
        r"f/u",
        r"check in",
        r"check back in",
        r"come back to you",
        r"revert",
        r"touch base with you",
        r"check back",
        # Checking with someone else before answering: "I'll confirm amount w/ finance".
        r"(?:confirm|check|verify|clarify)(?![^.,;]*\bfirst\b)\s+(?:\w+\s+){0,3}?(?:with|w/)\s+\w+",
    ),
    # The counterpart decides, signs or approves.
    Meaning.DECISION: (
        r"decide",
        r"decision",
        r"(?:counter|e-?)?sign(?: off| the| it)?",
        r"approve",
        r"approval",
        r"go/no-go",
        r"go-no-go",
        r"give (?:us|me) (?:an|a|the) (?:answer|yes|no|decision)",
        r"make a call on",
        r"choose",
        r"pick",
        r"commit",
    ),
    # Things the counterpart can go and do.
    Meaning.HOMEWORK: (
        r"reviews?",
        r"request",
        r"checks? (?:with|w/|in with)",
        r"checks",
        r"tests?",
        r"tries",
        r"reproduces?",
        r"decides?",
        r"signs",
        r"approves",
        r"talk (?:to|with)",
        r"check with",
        r"run (?:it|this) by",
        r"discuss (?:it |this )?with",
        r"fill (?:out|in)",
        r"complete",
        r"sign up",
        r"try",
        r"test",
        r"trial",
        r"gather",
        r"collect",
        r"look (?:over|at|into)",
        r"read",
        r"think (?:about|it over)",
        r"sleep on it",
        r"shar(?:e|es|ing)",
        r"send",
        r"get (?:me|us)",
        r"confirm",
        r"pull",
        r"loop in",
        r"bring",
        r"prepare",
        r"upload",
        r"install",
        r"set up",
        r"schedule",
        r"book",
        r"reach out",
        r"ping",
        r"run",
        r"email",
        r"jot",
        r"write",
        _DRAFT_VERB,
        r"record",
        r"track",
        r"log",
        r"note down",
        r"list",
        r"make a list",
        r"pick",
        r"choose",
        r"sign",
        r"practi[cs]e",
        r"journal",
        r"reflect",
        r"(?:notice|observe) (?:when|how|what|where|whenever|each time|every time)",
        r"pay attention to",
        r"map out",
        r"rank",
        r"rate",
        r"measure",
        r"apply",
        r"submit",
        r"register",
        r"enrol",
        r"enroll",
        r"call",
        r"contact",
        r"ask",
        r"get back",
        r"come back",
        r"let (?:me|us) know",
    ),
    # What a scheduling step sends: invites, times, slots.
    Meaning.SCHEDULING_OBJECT: (
        r"invite",
        r"invitation",
        r"calendar (?:options|link|hold|invite)",
        r"times",
        r"time slots",
        r"availability",
        r"booking link",
        r"scheduling link",
        r"calendly",
        r"hold",
        r"options for",
        r"a time",
        r"some times",
        r"a few times",
        r"slots?",
    ),
    # Notes and recaps that state the counterpart agreed.
    Meaning.CONFIRMED: (
        r"confirmed",
        r"agreed",
        r"accepted",
        r"said yes",
        r"said (?:ok|okay|sure|fine|great|that(?:'|’)s (?:fine|great|good|perfect)|that works)",
        r"locked(?: it)? in",
        r"signed off on",
        r"on board with",
        r"committed to",
        r"booked in",
        r"all set",
        r"(?:she|he|they)(?:'|’)re in",
        r"✔",
        r"✓",
        r"ok(?:'|’)d",
        r"okayed",
        r"green[- ]lit",
        r"as agreed",
        r"as we agreed",
        r"we agreed",
        r"you agreed",
        r"per our agreement",
    ),
    # Notes and recaps that say it is not agreed yet.
    Meaning.UNCONFIRMED: (
        r"not (?:yet )?accepted",
        r"no acceptance",
        r"yet to (?:accept|confirm|reply|respond)",
        r"awaiting (?:acceptance|a reply|reply|confirmation|a response|response)",
        r"hasn(?:'|’)t accepted",
        r"proposed",
        r"suggested",
        r"to be confirmed",
        r"tbc",
        r"tbd",
        r"tentative",
        r"pending",
        r"waiting (?:to hear|on|for)",
        r"hopefully",
        r"not confirmed",
        r"unconfirmed",
        r"no response",
        r"didn(?:'|’)t (?:confirm|respond|reply|commit)",
        r"hasn(?:'|’)t (?:confirmed|responded|replied)",
        r"no reply",
        r"will confirm",
        r"to confirm",
        r"needs to confirm",
        r"asked (?:if|whether|her|him|them)",
        r"not sure",
        r"maybe",
        r"hedged",
        r"noncommittal",
        r"non-committal",
        r"declined",
        r"pushed back",
        r"ghosted",
        r"silent",
        r"silence",
    ),
    # Report-back verbs: homework that comes back to the rep.
    Meaning.REPORT_BACK: (
        r"tell (?:you|me|us)",
        r"tells (?:you|me|us)",
        r"lets (?:you|me|us) know",
        r"gets back to (?:me|us)",
        r"(?:calls|rings|texts|pings) (?:me|us)",
        r"let (?:you|me|us) know",
        r"sends?",
        r"emails?",
        r"shares?",
        r"forwards?",
        r"gets? (?:me|us|it|them)",
        # said by the other side to us: "I'll get you the list", "I'll send you the form"
        r"(?:get|send|email|forward|text) you",
        r"has (?:it|them) to",
        r"have (?:it|them) to",
        r"get back to (?:me|us)",
        r"report back",
        r"let (?:me|us) know",
        r"send (?:me|us|it|them|those|that)",
        r"email (?:me|us)",
        r"call (?:me|us)",
        r"ring (?:me|us)",
        r"revert",
        r"ping (?:me|us)",
        r"text (?:me|us)",
        r"come back to (?:me|us)",
        r"(?:and|then) we(?:'|’)ll",
        r"go (?:over|through) (?:it|them|those)",
        r"bring (?:it|them) to",
        r"share (?:it|them|the \w+) with (?:me|us)",
        r"repl(?:y|ies)",
        r"responds?",
        r"update (?:me|us)",
        r"check[- ]in",
    ),
    # Offers: a step put on the table that the other side must take up.
    Meaning.OFFER: (
        r"i could",
        r"i(?:'|’)d be (?:happy|glad) to",
        r"(?:i(?:'|’)m )?(?:happy|glad) to",
        r"want me to",
        r"would it help if i",
        r"i(?:'|’)d (?:suggest|propose|recommend)",
        r"i (?:suggest|propose|recommend)",
        r"i can (?:also )?(?:put|pull|send|share|get|set|dig|draft|prepare|write)",
    ),
    # Words that take back a time already agreed.
    Meaning.WITHDRAWAL: (
        r"let(?:'|’)s (?:drop|scrap|scratch|skip|cancel|not do|hold off on|pause|shelve)",
        r"(?:can|could|should|shall) we (?:drop|scrap|scratch|skip|cancel|hold off on|pause|shelve)",
        r"hold off on (?:\w+day|that|it|this|the \w+)",
        r"(?:drop|scrap|scratch|cancel|call off|shelve) (?:\w+day|that|it|this|the \w+|tomorrow|our)",
        r"take (?:it|that|\w+day) off the (?:calendar|table)",
        r"(?:cancel(?:l)?ed|postponed|called off|scrapped|pulled out)",
        r"push(?:ed|ing)? (?:it |this |that |the \w+ )?(?:out|back)",
        r"put (?:it|that|this|things|the \w+) on hold",
        r"(?:\w+day|that|it) (?:no longer works|doesn(?:'|’)t work after all|won(?:'|’)t work after all)",
    ),
    # Verbs that commit to scheduling.
    Meaning.SCHEDULING: (
        r"schedule",
        r"book",
        r"set up",
        r"setup",
        r"arrange",
        r"organi[sz]e",
        r"lock in",
        r"pencil in",
        r"nail down",
        r"pin down",
        r"lock down",
        r"line up",
        r"find (?:a|some) (?:time|slot|date)",
    ),
    # Doing something together: with "we" or "let's", a meeting.
    Meaning.TOGETHER: (
        r"review",
        r"go over",
        r"go through",
        r"walk through",
        r"discuss",
        r"look at",
        r"work through",
        r"finali[sz]e",
        r"map out",
        r"plan",
        r"talk through",
        r"sit down",
        r"get together",
        r"regroup",
        r"debrief",
        r"reconvene",
        r"sort out",
    ),
    # Chasing someone who has not answered.
    Meaning.CHASE: (
        r"(?:ping|call|email|text|ring|try|chase) (?:him|her|them|\w+) again",
        r"nudge",
        r"chase",
        r"follow up with (?:him|her|them)",
        r"(?:try|call|ping|email|text|ring) again",
        r"reach out (?:to (?:him|her|them) )?again",
    ),
    # A meeting still to be fixed.
    Meaning.UNSCHEDULED: (
        r"tbd",
        r"tbc",
        r"to be (?:scheduled|decided|determined|confirmed|booked|arranged)",
        r"not (?:yet )?(?:scheduled|booked)",
        r"(?:dates?|times?|details) (?:later|to follow|to come)",
    ),
    # A promise to come back with an answer: a callback still owed, however hedged.
    Meaning.ANSWER_OWED: (
        r"let you know",
        r"get back to you",
        r"come back to you",
        r"keep you posted",
        r"report back",
        r"revert",
    ),
    # What a meeting leaves behind: "send the call scorecard" sends a document, it is no call.
    Meaning.MEETING_RECORD: (
        r"notes",
        r"summary",
        r"recording",
        r"scorecard",
        r"recap",
        r"deck",
        r"agenda",
        r"transcript",
        r"minutes",
        r"slides",
        r"materials?",
        r"write[- ]?up",
        r"report",
        r"checklist",
    ),
    # Picking one of the options offered: "Thursday's better for us", "Friday suits".
    Meaning.PREFERENCE: (
        r"better",
        r"easier",
        r"best",
        r"suits?",
        r"works?",
        r"prefer(?:red|able)?",
        r"please",
        r"(?:is|(?:'|’)s) (?:good|great|fine|perfect|ideal)",
        r"go with",
        r"let(?:'|’)s do",
    ),
}


def pattern_of(
    *meanings: Meaning, phrases: dict[Meaning, tuple[str, ...]] | None = None
) -> CaseFree:
    """One pattern matching any phrase of the given meanings, as whole words."""
    table = PHRASES if phrases is None else phrases
    return ci(r"\b(?:" + "|".join(p for m in meanings for p in table[m]) + r")\b")


# The meanings that can make a sentence a step; a sentence with none of them and no time
# phrase holds no step, so the engine skips it (the pre-filter, derived, never kept by hand).
STEP_MEANINGS = (
    Meaning.REVISIT,
    Meaning.DELIBERATE,
    Meaning.VAGUE_TALK,
    Meaning.SCHEDULING,
    Meaning.SCHEDULING_OBJECT,
    Meaning.MEETING_NOUN,
    Meaning.MEETING_WORD,
    Meaning.TOGETHER,
    Meaning.SENDING,
    Meaning.CALLBACK,
    Meaning.CHASE,
    Meaning.DECISION,
    Meaning.HOMEWORK,
    Meaning.OFFER,
    Meaning.UNSCHEDULED,
    Meaning.WITHDRAWAL,
)


def step_prefilter(phrases: dict[Meaning, tuple[str, ...]] | None = None) -> CaseFree:
    return pattern_of(*STEP_MEANINGS, phrases=phrases)


STEP_WORDS = step_prefilter()

REVISIT = pattern_of(Meaning.REVISIT)
DELIBERATE = pattern_of(Meaning.DELIBERATE)
STALL = pattern_of(Meaning.REVISIT, Meaning.DELIBERATE)  # a stall commits to coming back
VAGUE_ACTION = pattern_of(Meaning.REVISIT, Meaning.DELIBERATE, Meaning.VAGUE_TALK)
HEDGE = pattern_of(Meaning.HEDGE)
AFFIRM = pattern_of(Meaning.AGREEMENT)
DECLINE = pattern_of(Meaning.REFUSAL)
WITHDRAWAL = pattern_of(Meaning.WITHDRAWAL)
SCHEDULING = pattern_of(Meaning.SCHEDULING)
SCHEDULING_DELIVERABLE = pattern_of(Meaning.SCHEDULING_OBJECT)
MEETING_STRONG = pattern_of(Meaning.MEETING_NOUN)
MEETING = pattern_of(Meaning.MEETING_WORD)
ANSWER_OWED = pattern_of(Meaning.ANSWER_OWED)
MEETING_RECORD = ci(
    r"\b(?:"
    + "|".join(PHRASES[Meaning.MEETING_NOUN])
    + r")s?\s+(?:"
    + "|".join(PHRASES[Meaning.MEETING_RECORD])
    + r")\b"
)
TOGETHER = pattern_of(Meaning.TOGETHER)
DELIVERABLE = pattern_of(Meaning.SENDING)
CALLBACK = pattern_of(Meaning.CALLBACK)
CHASE = pattern_of(Meaning.CHASE)
DECISION = pattern_of(Meaning.DECISION)
HOMEWORK = pattern_of(Meaning.HOMEWORK)
REPORT_BACK = pattern_of(Meaning.REPORT_BACK)
OFFER = pattern_of(Meaning.OFFER)
STATED_ACK = pattern_of(Meaning.CONFIRMED)
NOT_ACK = pattern_of(Meaning.UNCONFIRMED)
UNSCHEDULED = pattern_of(Meaning.UNSCHEDULED)
PREFERENCE = pattern_of(Meaning.PREFERENCE)


# Who commits: the subject and modal of a forward-looking clause.
FIRST_SINGULAR = ci(
    r"\b(?:i(?:'|’)ll|i will|i(?:'|’)m going to|i am going to|i(?:'|’)m gonna|i can|i could|"
    r"i(?:'|’)d like to|i want to|i plan to|i(?:'|’)m planning to|i need to|i shall|"
    r"let me|i(?:'|’)ll be|i would like to|"
    # "I wanted to set up a second visit" proposes; "I wanted to call you before..." explains
    r"i (?:wanted|was hoping) to (?=(?:" + "|".join(PHRASES[Meaning.SCHEDULING]) + r")\b)|"
    r"i(?:'|’)d (?:suggest|propose|recommend)|i(?:'|’)m happy to|i(?:'|’)ll have|i(?:'|’)ll get|i promise to|"
    r"i(?:'|’)m sending|i(?:'|’)m scheduling|i(?:'|’)m booking|i(?:'|’)m putting|"
    r"(?:said|told (?:him|her|them|\w+)|promised(?: (?:him|her|them))?) i(?:'|’)d)\b"
)
FIRST_PLURAL = ci(
    r"\b(?:we(?:'|’)ll|we will|we(?:'|’)re going to|we are going to|we can|we could|"
    r"we should|we shall|we(?:'|’)d|let(?:'|’)s|let us|we need to|we plan to|"
    r"shall we|should we|can we|could we|how about we|why don(?:'|’)t we|we(?:'|’)re meeting|"
    r"we(?:'|’)re on for|we(?:'|’)re set for|we(?:'|’)ve got|we have (?:a|the|our)|we agreed to|"
    r"the (?:two|three|four|five) of us|both of us|all of us)\b"
)
SECOND_PERSON = ci(
    r"\b(?:you(?:'|’)ll|you will|you(?:'|’)re going to|you are going to|you can|could you|"
    r"can you|would you|will you|you(?:'|’)d|(?:i(?:'|’)d like|i want|i need) you to|you need to|you should|you agreed to|"
    r"you(?:'|’)re going|please)\b"
)
FUTURE_CUE = ci(
    r"\b(?:will|(?:'|’)ll|going to|gonna|let(?:'|’)s|let me|shall|plan to|planning to|tomorrow|"
    r"next|upcoming|later|soon|tonight|once|as soon as|when you|schedule|scheduled|book|booked|"
    r"set up|lock in|locked in|pencil|calendar|invite|agenda|follow[- ]?up|f/u|ns:)\b"
)
PAST_CUE = ci(
    r"\b(?:met|sent|sent over|discussed|talked|spoke|had (?:a|our|the)|did|was|were|went|"
    r"ran|came|came and went|got back|took|made|said|told|saw|thought|felt|gave|found|left|"
    r"mentioned|enjoyed|loved|liked|wrapped|finished|joined|covered|walked|"
    r"showed|demoed|reviewed|signed|last (?:week|month|time|year|call|meeting)|ago|yesterday|"
    r"earlier today|already|previously|back in)\b"
)
HYPOTHETICAL = ci(
    r"\b(?:if (?:we|you|they) (?:ever|decide|were|end up)|in the future|someday|one day|"
    r"would need|might need|might want|could eventually|down the line|long term|"
    r"we want to grow|our goal is|this year we|hoping to grow|if it happens again|"
    r"if (?:anything|something) (?:comes up|changes|else)|if (?:you|we) (?:have|need|run into|"
    r"hit|see) (?:any|anything|questions|issues|problems)|if needed|if necessary|in case|"
    r"if you have any questions|any questions,)\b"
)
# Leaving the call, not committing: "I need to run, I've got the managers at four thirty."
LEAVING = ci(
    r"\b(?:(?:need|have|got|gotta) to (?:run|go|jump|drop|hop off)|gotta (?:run|go|jump)|"
    r"i(?:'|’)m late for|running late|have a hard stop|hard stop at)\b"
)
# A promise the notes report: "told her we'd circle back in spring", "said I'd send it Mon".
REPORTED_PROMISE = ci(
    r"\b(?:said|told (?:him|her|them|\w+)|promised(?: (?:him|her|them))?) (?:i|we)(?:'|’)d\b"
)
# The other side's promise as notes report it: "she said she'd think about it".
REPORTED_THEIR_PROMISE = ci(r"\b(?:said|promised) (?:she|he|they)(?:'|’)d\b")
# A polite tail that leaves an imperative an imperative: "Bring your payslips if you can."
POLITE_TAIL = ci(r",?\s*\b(?:if you can|if you could|if possible|when you can|please)\b")
# Notes of what the other side wishes, not a task: "Wants to list before school's out".
WISH = ci(r"\b(?:wants?|hopes?|plans?|would like|intends?|prefers?|keen)\b")
# Something brought along to a meeting: "bring your payslips", "record it + bring it".
BRING_ALONG = ci(r"\bbring(?:s|ing)?\b(?!.{0,40}\b(?:to you|over to|round to)\b)")
# A notes line that puts a proposal on the table: "proposed training refresher, no answer".
PROPOSAL_LEAD = ci(r"^\W*(?:i\s+|we\s+)?(?:proposed|suggested|offered|pitched|floated)\b")
# Open questions ask, they do not commit: "When would you like to meet next?"
OPEN_QUESTION = ci(
    r"^\W*(?:and |so |ok(?:ay)?,? |great,? )?(?:when|what|where|who|why|which|how (?!about)|"
    r"do i|do you|does|did|is|are|was|were|have you|has)\b[^?]*\?\s*$"
)
PLEASANTRY = ci(
    r"^(?:thanks?|thank you|cheers|have a (?:great|good|nice)|enjoy|take care|bye|"
    r"(?:great|good|lovely|nice|wonderful|fantastic|productive) (?:call|session|meeting|chat|"
    r"to (?:speak|talk|meet|see|chat|catch up)|speaking|talking|seeing|meeting)|"
    r"lovely to|good to (?:speak|talk|see|meet)|"
    r"good(?:bye)?|nice (?:talking|meeting|chatting)|great (?:talking|chatting|meeting)|"
    r"talk (?:soon|later)|speak (?:soon|later)|see ya|ttyl)\b"
)

# What makes a vague verb specific: an object or a purpose.
SPECIFIC_OBJECT = ci(
    r"\b(?:to (?:review|go over|go through|walk through|discuss|finali[sz]e|sign|decide|confirm|"
    r"agree|align|plan|choose|pick|look at|cover|present|demo|show)|about (?:the|your|our)|"
    r"on (?:the|your|our) (?:proposal|contract|pricing|quote|offer|plan|pilot|numbers|"
    r"results|findings|options|terms|renewal|budget|timeline|scope|design|data|report)|"
    r"with (?:the|your|our) (?:proposal|pricing|quote|numbers|answer|decision|update|"
    r"results|contract|terms|offer|options|figures|estimate|plan|fix|status|eta|details)|"
    r"regarding|re:|(?:chat|talk|speak|check)s? (?:to|with|w/) (?:his|her|their) \w+)\b"
)


# Agreement too thin to count when the speaker moves straight on to something else.
AFFIRM_WEAK = ci(
    r"^\W*(?:great|good|ok(?:ay)?|cool|fine|got it|noted|right|alright|nice|excellent|works|"
    r"wonderful|awesome|lovely|brilliant)\b(?! question| point)"
)
COUNTER = ci(
    r"\b(?:actually|instead|how about|what about|could we|can we|would .* work|rather|"
    r"(?:do|make it|move it to|push (?:it )?to|shift (?:it )?to|switch to)|"
    r"better for me|works better)\b"
)
ACK_HEADING = ci(r"\b(?:agreed|confirmed|committed)\b")
STEP_HEADING = ci(
    r"\b(?:next steps?|ns|action items?|actions|follow[- ]?ups?|to ?dos?|takeaways|"
    r"agreed|commitments|plan)\b"
)

# Triggers: a condition that starts the step.
TRIGGER = ci(
    r"\b(?P<cue>once|as soon as|when(?!ever)|after|the moment|the minute|the day)\s+"
    r"(?P<condition>[^,.;]{3,120}?)(?:,|\s+(?=(?:ping|let|email|text|call|send|i(?:'|’)ll|"
    r"we(?:'|’)ll|i will|we will|you(?:'|’)ll|give)\b))"
)
TRIGGER_CUE = ci(r"\b(?:once|as soon as|when(?!ever)|after|the (?:moment|minute|second|day))\b")
WEAK_TRIGGER = ci(
    r"\b(?:when(?:ever)? you(?:'|’)re ready|whenever|when you (?:get a chance|have time|can)|"
    r"if you(?:'|’)re interested|when things (?:settle|calm)|when the time is right)\b"
)
