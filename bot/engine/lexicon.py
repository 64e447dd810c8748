"""The words the rubric turns on, as compiled patterns.

Kept in one place so a reader can see, and a test can table, exactly which words make a
step vague, a reply an agreement, or a sentence a commitment.
"""

from __future__ import annotations

from bot.engine.patterns import ci


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# Who commits: the subject and modal of a forward-looking clause.
FIRST_SINGULAR = ci(
    r"\b(?:i(?:'|’)ll|i will|i(?:'|’)m going to|i am going to|i(?:'|’)m gonna|i can|i could|"
    r"i(?:'|’)d like to|i want to|i plan to|i(?:'|’)m planning to|i need to|i shall|"
    r"let me|i(?:'|’)ll be|i(?:'|’)m happy to|i(?:'|’)ll have|i(?:'|’)ll get|i promise to|"
    r"i(?:'|’)m sending|i(?:'|’)m scheduling|i(?:'|’)m booking|i(?:'|’)m putting)\b"
)
FIRST_PLURAL = ci(
    r"\b(?:we(?:'|’)ll|we will|we(?:'|’)re going to|we are going to|we can|we could|"
    r"we should|we shall|we(?:'|’)d|let(?:'|’)s|let us|we need to|we plan to|"
    r"shall we|should we|can we|could we|how about we|why don(?:'|’)t we|we(?:'|’)re meeting|"
    r"we(?:'|’)re on for|we(?:'|’)re set for|we(?:'|’)ve got|we have (?:a|the|our)|we agreed to)\b"
)
SECOND_PERSON = ci(
    r"\b(?:you(?:'|’)ll|you will|you(?:'|’)re going to|you are going to|you can|could you|"
    r"can you|would you|will you|you(?:'|’)d|you need to|you should|you agreed to|"
    r"you(?:'|’)re going|please)\b"
)
FUTURE_CUE = ci(
    r"\b(?:will|(?:'|’)ll|going to|gonna|let(?:'|’)s|shall|plan to|planning to|tomorrow|"
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

# What the step is.
MEETING = ci(
    r"\b(?:meet(?:ing|s)?|call|calls|demo|demos|walk[- ]?through|viewing|viewings|showing|"
    r"tour|interview(?:s)?|session|qbr|sync|onsite|on-site|lunch|coffee|workshop|presentation|"
    r"zoom|teams call|video call|phone call|screen|site visit|visit|appointment|appt|"
    r"mtg|review (?:it |this |them |the \w+ )?together|go (?:over|through) (?:it|this|them|the)|"
    r"walk (?:you|them|him|her) through|catch[- ]up|check[- ]in|kick[- ]?off|debrief|"
    r"follow[- ]up (?:call|meeting|session)|f/u (?:call|mtg)|get together|sit down|"
    r"touch base|reconnect|circle back|chat|talk|speak|connect|hop on|jump on|huddle|"
    r"open house|inspection|consult(?:ation)?|office hours|panel|final round|round|training|"
    r"closing|signing|orientation|ebr|1:1|one-on-one|standup|photo shoot|shoot|walk-through)\b"
)
MEETING_STRONG = ci(
    r"\b(?:put (?:some |\w+ |an? )?(?:time|minutes|mins|min|hour|half hour|half an hour|slot) on|"
    r"on (?:the|our|your|my) calendars?|walk (?:\w+ ){1,2}through|"
    r"meet(?:ing)?|call|demo|walk[- ]?through|viewing|showing|tour|interview|session|qbr|"
    r"sync|onsite|lunch|coffee|workshop|presentation|zoom|site visit|appointment|appt|mtg|"
    r"review (?:it |this |them |the \w+ )?together|kick[- ]?off|debrief|open house|"
    r"inspection|consultation|panel|final round|training|closing|signing|orientation|ebr|"
    r"1:1|one-on-one|photo shoot|remote (?:in|session)|for the (?:photographer|photos|"
    r"inspector|appraiser|movers|stager|surveyor)|dial in|screen ?share|"
    r"(?:come|stop|swing|drop|pop) (?:by|over|round)|see you (?:on|at|next)|"
    r"(?:see|view|visit|tour) (?:the|both|it|them|the \w+) (?:house|houses|flat|property|"
    r"apartment|unit|place|home|listing)s?)\b"
)
DELIVERABLE = ci(
    r"\b(?:sends|send(?:ing)?|promised (?:\w+ )?(?:the|a|an|to send|our|my)|sent over|share|email (?:you|it|them|over)|forward|draft|prepare|"
    r"put together|write up|pull together|shoot (?:you|over)|get (?:you|them|it) (?:the|a|an|"
    r"our|my|over)|drop (?:you|off)|deliver|provide|mail|post|upload|attach|"
    r"over to you|your way|loop in|intro(?:duce)?|connect you with|text you (?:a|some|the)|have (?:it|them|the \w+) "
    r"(?:to you|over|ready)|(?:you(?:'|’)ll|you will) (?:have|get|receive))\b"
)
CALLBACK = ci(
    r"\b(?:call you(?: back)?|ring you|phone you|give you a (?:call|ring|buzz)|"
    r"get back to you|update you|keep you (?:posted|updated)|let you know|report back|"
    r"circle back|follow up with you|ping you|text you|confirm (?:with you|the|by|whether)|"
    r"follow[- ]?up|f/u|check in|check back in|"
    r"come back to you|revert|touch base with you|check back)\b"
)
DECISION = ci(
    r"\b(?:decide|decision|sign(?: off| the| it)?|approve|approval|go/no-go|go-no-go|"
    r"give (?:us|me) (?:an|a|the) (?:answer|yes|no|decision)|make a call on|choose|pick|"
    r"commit)\b"
)
HOMEWORK = ci(
    r"\b(?:review|talk (?:to|with)|check with|run (?:it|this) by|discuss (?:it |this )?with|"
    r"fill (?:out|in)|complete|sign up|try|test|trial|gather|collect|look (?:over|at|into)|"
    r"read|think (?:about|it over)|sleep on it|share|send|get (?:me|us)|confirm|pull|"
    r"loop in|bring|prepare|upload|install|set up|schedule|book|reach out|ping|run|email|"
    r"jot|write|draft|record|track|log|note down|list|make a list|pick|choose|sign|"
    r"practi[cs]e|journal|reflect|map out|rank|rate|measure|apply|submit|register|enrol|"
    r"enroll|call|contact|ask|get back|come back|let (?:me|us) know)\b"
)
SCHEDULING_DELIVERABLE = ci(
    r"\b(?:invite|invitation|calendar (?:options|link|hold|invite)|times|time slots|"
    r"availability|booking link|scheduling link|calendly|hold|options for|a time|some times|"
    r"a few times|slots)\b"
)

# Stalls disguised as momentum, when nothing specific is attached.
VAGUE_ACTION = ci(
    r"\b(?:touch(?:ing)? base|reconnect|re-connect|circle back|chat again|talk (?:again|soon|"
    r"more|later)|speak (?:again|soon)|catch up|check in|stay in touch|keep in touch|follow[- ]up|"
    r"f/u|get back to (?:you|me|us)|think (?:about it|it over|about things)|sleep on it|"
    r"send (?:some|more|a bit of|over some) (?:info|information|stuff|details|material)|"
    r"some (?:info|information) over|sync up|connect again|be in touch|"
    r"let (?:you|me|us) know|keep (?:you|me) posted|ping (?:you|me)|talk|chat|speak|"
    r"hop on a call|jump on a call|connect)\b"
)
# What makes a vague verb specific: an object or a purpose.
SPECIFIC_OBJECT = ci(
    r"\b(?:to (?:review|go over|go through|walk through|discuss|finali[sz]e|sign|decide|confirm|"
    r"agree|align|plan|choose|pick|look at|cover|present|demo|show)|about (?:the|your|our)|"
    r"on (?:the|your|our) (?:proposal|contract|pricing|quote|offer|plan|pilot|numbers|"
    r"results|findings|options|terms|renewal|budget|timeline|scope|design|data|report)|"
    r"with (?:the|your|our) (?:proposal|pricing|quote|numbers|answer|decision|update|"
    r"results|contract|terms|offer|options|figures|estimate|plan|fix|status|eta|details)|"
    r"regarding|re:)\b"
)

# How the other side answers.
AFFIRM = ci(
    r"(?:^|\b)(?:yes|yeah|yep|yup|sure|absolutely|definitely|of course|certainly|perfect|"
    r"sounds (?:good|great|perfect|fine|like a plan)|works (?:for|with) (?:me|us)|"
    r"(?:that|this|it|which|both|all of that|the \w+|\w+day(?: at [\w:]+)?|\d{1,2}(?::\d\d)?"
    r"(?: ?[ap]m)?) (?:works|work)(?: great| fine| well| perfectly)?(?: for (?:me|us))?|"
    r"see you (?:then|there|on|at|next|tomorrow|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|soon)|talk (?:to you )?then|speak then|i(?:'|’)ll be there|"
    r"we(?:'|’)ll be there|deal|agreed|count me in|looking forward|let(?:'|’)s do (?:it|that)|"
    r"lock it in|book it|confirmed|i can do that|we can do that|that(?:'|’)s fine|fine by me|"
    r"no problem|will do|i(?:'|’)m in|happy to|sounds fair|fair enough|good plan|"
    r"i(?:'|’)ll accept|accepted|you got it|on my calendar|in my calendar|penciled in|"
    r"pencilled in|i(?:'|’)ll be ready|i(?:'|’)ll have it|we(?:'|’)ll have it|i(?:'|’)ll do that|"
    r"that(?:'|’)s great|great[,!.]? (?:thanks|thank you|talk|see|let(?:'|’)s)|ok(?:ay)?[,!.]? "
    r"(?:thanks|thank you|talk|see|let(?:'|’)s|works|sounds)|it(?:'|’)s a date|done deal)\b"
)
# Agreement too thin to count when the speaker moves straight on to something else.
AFFIRM_WEAK = ci(
    r"^\W*(?:great|good|ok(?:ay)?|cool|fine|got it|noted|right|alright|nice|excellent|"
    r"wonderful|awesome|lovely|brilliant)\b(?! question| point)"
)
HEDGE = ci(
    r"\b(?:let me (?:double[- ]check|check|see|get back|confirm|think|look|run it|ask)|not sure|maybe|perhaps|probably|"
    r"i think so\?|possibly|i(?:'|’)ll (?:see|try|have to check|need to check|check)|"
    r"we(?:'|’)ll see|hard to say|might|tentative(?:ly)?|i(?:'|’)m not certain|"
    r"should be (?:ok|okay|fine) but|depends|no promises|can(?:'|’)t promise|"
    r"i(?:'|’)ll let you know|let you know|get back to you|circle back|hold off|"
    r"(?:he|she|they)(?:'|’)ll (?:check|see|think|try|look into it|get back)|"
    r"not (?:right )?now|busy|swamped|have to see|need to see|need to check|ask (?:my|our))\b"
)
DECLINE = ci(
    r"\b(?:no(?:pe)?,|can(?:'|’)t|cannot|won(?:'|’)t work|doesn(?:'|’)t work|don(?:'|’)t think so|"
    r"not (?:going to|gonna) work|unavailable|out of (?:office|town)|not interested|pass on|"
    r"no thanks|rather not|not a good time|booked (?:up|solid)|conflict|no good|"
    r"(?:\w+day|that|it|this week|next week)(?:'|’)?s? (?:is )?(?:bad|out|tough|tricky|impossible)|"
    r"(?:is|are) (?:still )?up in the air|decided (?:not to|to stay|to go with|against)|"
    r"accepted (?:another|a different|an? (?:other|competing|counter))|counter[- ]offer|"
    r"go(?:ing)? (?:in )?(?:another|a different) direction|went with (?:another|a different)|"
    r"not (?:be )?moving forward|won(?:'|’)t be (?:moving forward|renewing|able)|"
    r"not (?:going to )?renew|withdraw|step(?:ping)? back from|pull(?:ing)? out|"
    r"have to pass|going to pass|need to cancel|have to cancel)\b"
)
COUNTER = ci(
    r"\b(?:actually|instead|how about|what about|could we|can we|would .* work|rather|"
    r"(?:do|make it|move it to|push (?:it )?to|shift (?:it )?to|switch to)|"
    r"better for me|works better)\b"
)
# Notes and emails that state the counterpart agreed.
STATED_ACK = ci(
    r"\b(?:confirmed|agreed|accepted|said yes|said (?:ok|okay|sure|fine|great|that(?:'|’)s "
    r"(?:fine|great|good|perfect)|that works)|locked(?: it)? in|signed off on|on board with|"
    r"committed to|booked in|all set|(?:she|he|they)(?:'|’)re in|✔|✓|ok(?:'|’)d|okayed|"
    r"green[- ]lit|as agreed|as we agreed|we agreed|you agreed|per our agreement)\b"
)
NOT_ACK = ci(
    r"\b(?:proposed|suggested|to be confirmed|tbc|tbd|tentative|pending|waiting (?:to hear|on|for)|"
    r"hopefully|not confirmed|unconfirmed|no response|didn(?:'|’)t (?:confirm|respond|reply|commit)|"
    r"hasn(?:'|’)t (?:confirmed|responded|replied)|no reply|will confirm|to confirm|"
    r"needs to confirm|asked (?:if|whether|her|him|them)|not sure|maybe|hedged|noncommittal|"
    r"non-committal|declined|pushed back|ghosted|silent|silence)\b"
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
WEAK_TRIGGER = ci(
    r"\b(?:when(?:ever)? you(?:'|’)re ready|whenever|when you (?:get a chance|have time|can)|"
    r"if you(?:'|’)re interested|when things (?:settle|calm)|when the time is right)\b"
)
