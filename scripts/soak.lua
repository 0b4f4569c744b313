-- wrk script for scripts/soak.sh: a mix of what residents and staff ask of a server —
-- the cached home page, search, the consultation list and new opinions to the 区民の声 desk.
-- SOAK_DELAY_MS (per connection, between one answer and the next request) holds the rate
-- at the share of capacity soak.sh chose; 0 or unset runs flat out (the capacity run).
-- SOAK_WRITE_EVERY: one request in this many is a new opinion (default 10; 0: reads only).
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
local write_every = tonumber(os.getenv("SOAK_WRITE_EVERY") or "10")
local sent = 0
local thread_id = 0

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

request = function()
  sent = sent + 1
  if write_every == 0 or sent % write_every ~= 0 then
    local slot = sent % 9
    if slot < 6 then
      return wrk.format("GET", "/")
    elseif slot < 7 then
      return wrk.format("GET", "/api/v1/search?q=%E7%B7%91")
    elseif slot < 8 then
      return wrk.format("GET", "/consultations")
    end
    return wrk.format("GET", "/plan")
  end
  local body = '{"text":"soak ' .. tostring(id) .. "-" .. sent ..
               '：駅前の歩道を広げ、自転車の置き場を増やしてください。"}'
  return wrk.format("POST", "/api/v1/voice/opinions",
                    {["Content-Type"] = "application/json"}, body)
end

delay = function()
  return delay_ms
end
