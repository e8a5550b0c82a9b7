"""Articles written for the web tests (fictional; nothing copied from the shared data)."""
from __future__ import annotations

HARBOUR = ('Dockworkers walk out\n'
           'Tom Reyes said the offer was "a disgrace to every worker in this port". '
           'Lena Ortiz said "the city will lose 3 million every day" if the strike goes on.\n')
RIVER = ('Flood barrier opens\n'
         'Lena Ortiz said "the barrier will protect 4000 jobs along the river". '
         'Engineers called the old wall a disaster waiting to happen.\n')
SCHOOL = ('School budget vote\n'
          'Ana Silva said "our teachers deserve better than this catastrophe". '
          'The council said spending rose 7 percent this year.\n')

PAYLOADS = [
    "<script>window.__pwned=1;document.title='PWNED'</script>",
    "<img src=x onerror=\"window.__pwned=2;document.title='PWNED'\">",
    "'\"><img src=x onerror=window.__pwned=3>",
    "<a href=\"javascript:window.__pwned=4\">click me</a>",
    "<svg onload=window.__pwned=5></svg>",
    "</textarea></title><script>window.__pwned=6</script>",
]
HOSTILE = ("Hostile article\n"
           + "Evil Person said \"" + PAYLOADS[0] + " and " + PAYLOADS[2] + "\". "
           + " ".join(PAYLOADS) + "\n")
HOSTILE_TITLE = "\"><script>window.__pwned=7</script><img src=x onerror=window.__pwned=8>"
HOSTILE_URL = "javascript:window.__pwned=9"
